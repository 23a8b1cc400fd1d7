#pragma once
// Moved to tests/support/packs.hpp; this forward goes once the open branches have merged.
#include "support/packs.hpp"
