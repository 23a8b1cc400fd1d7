#pragma once
// The pack's "details" section: where the coach may take a customer's name and order number from,
// and which agent phrases ask the customer not to post a detail publicly (it is then never
// repeated in a suggestion). A pack without the section gets the defaults below.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <re2/re2.h>

#include "json_read.hpp"

namespace tact::coach {

struct WithholdRule {
  std::shared_ptr<const RE2> re;     // over the agent's message
  std::vector<std::string> details;  // the kinds it withholds, e.g. "order"
};

struct DetailExample {
  std::string text;  // a customer message
  std::string name;  // what it must give ("" = nothing)
  std::string order;
};

struct DetailsConfig {
  std::vector<std::shared_ptr<const RE2>> name;   // group 1 is the name; customer text only, case-sensitive
  std::vector<std::string> not_names;             // words a name pattern may catch that are no name
  std::vector<std::shared_ptr<const RE2>> order;  // group 1 is the number; order contexts only
  std::vector<WithholdRule> withhold;
  std::vector<DetailExample> examples;
};

DetailsConfig parse_details_config(const nlohmann::json& pack, JsonReader& r);

}  // namespace tact::coach
