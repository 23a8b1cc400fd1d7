#pragma once
// The commands load rule packs as the server does (gateway/rules/pack_source.hpp).
#include "rules/pack_source.hpp"

namespace tact::cli {
using gateway::default_pack_text;
using gateway::load_rules;
using gateway::read_file;
}  // namespace tact::cli
