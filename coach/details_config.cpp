#include "details_config.hpp"

#include <nlohmann/json.hpp>

#include "details.hpp"
#include "re2_options.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

constexpr std::int64_t kDetailMaxMem = 1 << 20;

const json& defaults() {
  static const json d = {
      {"name",
       {R"((?i:\bmy name is|\bmy name's|\bi am called|\bcall me) ([A-Z][a-z]{1,15})\b)",
        R"((?i:regards|kind regards|best wishes|many thanks|sincerely),?\s+([A-Z][a-z]{1,15})\s*[.!]?\s*$)",
        R"((?:^|\s)[-~]\s?([A-Z][a-z]{1,15})\s*$)"}},
      {"not_names", {"There", "Team", "All", "Everyone", "Again", "Very", "Guys", "Folks", "Sir", "Madam", "Support",
                     "Help", "Welcome", "You", "Thanks", "Thank", "Hi", "Hello", "Hey", "Please", "Customer", "Me"}},
      {"order",
       {R"((?i)\b(?:order|booking|reservation|confirmation|tracking|ticket|case|reference|ref)(?:\s+(?:number|no\.?|num|id))?\s*(?:is\s+|:\s*)?(#?\s?[A-Za-z]{0,3}\d[A-Za-z0-9-]{3,}))",
        R"((?:^|[^\w&#])(#\d{4,})\b)"}},
      {"withhold",
       {{{"pattern",
          R"((?i)\b(?:don't|do not|never|avoid|refrain from)\s+(?:\w+\s+){0,2}?(?:post|share|include|publish|tweet|provide|disclose)\w*\b[^.!?]{0,60}?\b(?:public\w*|here|on twitter|in (?:a |this )?(?:tweet|reply|thread))\b|\bfor (?:your )?(?:privacy|security|safety)\b|\b(?:delete|remove) (?:this|that|the|your) (?:tweet|post|reply)\b)"},
         {"details", {"order"}}}}}};
  return d;
}

std::shared_ptr<const RE2> compile_detail(const std::string& pattern, bool case_sensitive, const std::string& field,
                                          JsonReader& r) {
  auto re = std::make_shared<RE2>(pattern, regex_options(case_sensitive, kDetailMaxMem));
  if (!re->ok()) {
    r.fail(field, "invalid regular expression: " + re->error());
    return nullptr;
  }
  if (re->NumberOfCapturingGroups() < 1) {
    r.fail(field, "needs a group ( ) around the detail itself");
    return nullptr;
  }
  return re;
}

}  // namespace

DetailsConfig parse_details_config(const json& pack, JsonReader& r) {
  DetailsConfig c;
  const auto it = pack.find("details");
  if (it != pack.end() && !it->is_object()) r.fail("details", "must be an object");
  const json& d = it != pack.end() && it->is_object() ? *it : defaults();
  const json& fallback = defaults();
  const auto list = [&](const char* key) -> const json& { return d.contains(key) ? d : fallback; };
  const auto names = r.strings(list("name"), "name", "details.name", false);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (auto re = compile_detail(names[i], true, "details.name[" + std::to_string(i) + "]", r)) c.name.push_back(re);
  c.not_names = r.strings(list("not_names"), "not_names", "details.not_names", false);
  const auto orders = r.strings(list("order"), "order", "details.order", false);
  for (std::size_t i = 0; i < orders.size(); ++i)
    if (auto re = compile_detail(orders[i], true, "details.order[" + std::to_string(i) + "]", r)) c.order.push_back(re);
  const json& w = list("withhold")["withhold"];
  if (!w.is_array()) {
    r.fail("details.withhold", "must be an array of {\"pattern\", \"details\"}");
  } else {
    for (std::size_t i = 0; i < w.size(); ++i) {
      const auto f = "details.withhold[" + std::to_string(i) + "]";
      WithholdRule rule;
      const auto pattern = r.string(w[i], "pattern", f + ".pattern", true).value_or("");
      rule.details = r.strings(w[i], "details", f + ".details", true);
      for (const auto& k : rule.details)
        if (k != "name" && k != "order" && k != "product") r.fail(f + ".details", "\"" + k + "\" is not a detail; use name, order or product");
      rule.re = std::make_shared<RE2>(pattern, regex_options(false, kDetailMaxMem));
      if (!rule.re->ok()) r.fail(f + ".pattern", "invalid regular expression: " + rule.re->error());
      else c.withhold.push_back(std::move(rule));
    }
  }
  if (auto ex = d.find("examples"); ex != d.end() && ex->is_array()) {
    for (std::size_t i = 0; i < ex->size(); ++i) {
      const auto f = "details.examples[" + std::to_string(i) + "]";
      DetailExample e{r.string((*ex)[i], "text", f + ".text", true).value_or(""),
                      r.string((*ex)[i], "name", f + ".name", false).value_or(""),
                      r.string((*ex)[i], "order", f + ".order", false).value_or("")};
      const auto got = customer_details(c, e.text);
      if (got.name != e.name) r.fail(f, "gives the name \"" + got.name + "\", not \"" + e.name + "\"");
      if (got.order != e.order) r.fail(f, "gives the order \"" + got.order + "\", not \"" + e.order + "\"");
      c.examples.push_back(std::move(e));
    }
  }
  return c;
}

}  // namespace tact::coach
