#include "suggest.hpp"

#include <algorithm>

namespace tact::coach {
namespace {

const std::string* detail(const Details& d, std::string_view name) {
  if (name == "name") return &d.name;
  if (name == "order") return &d.order;
  if (name == "product") return &d.product;
  if (name == "problem") return &d.problem;
  return nullptr;
}

}  // namespace

std::string fill_variant(const std::string& variant, const Details& d) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = variant.find('{', pos);
    if (open == std::string::npos) break;
    const auto close = variant.find('}', open);
    if (close == std::string::npos) return "";
    const auto* value = detail(d, std::string_view(variant).substr(open + 1, close - open - 1));
    if (!value || value->empty()) return "";
    out.append(variant, pos, open - pos);
    // A detail is the customer's own words: a brace in it would read as an unfilled placeholder.
    for (char c : *value) out += c == '{' ? '(' : c == '}' ? ')' : c;
    pos = close + 1;
  }
  out.append(variant, pos);
  return out;
}

namespace {

bool fits(const ReplyTemplate& t, const std::vector<std::string>& acts) {
  return std::any_of(t.when.begin(), t.when.end(),
                     [&](const std::string& w) { return std::find(acts.begin(), acts.end(), w) != acts.end(); });
}

}  // namespace

std::string fill_template(const ReplyTemplate& tpl, const Details& all, const std::vector<std::string>& facts) {
  const auto holds = [&](const std::string& cond) { return std::find(facts.begin(), facts.end(), cond) != facts.end(); };
  // A detail the agent asked the customer not to post publicly is not repeated either.
  Details details = all;
  for (const auto& k : all.withheld)
    if (k == "name") details.name.clear();
    else if (k == "order") details.order.clear();
    else if (k == "product") details.product.clear();
  for (const auto& v : tpl.variants) {
    if (!std::all_of(v.when.begin(), v.when.end(), holds) || std::any_of(v.unless.begin(), v.unless.end(), holds)) continue;
    if (auto text = fill_variant(v.text, details); !text.empty()) return text;
  }
  return "";
}

std::vector<Suggestion> suggest(const CoachingConfig& config, const std::vector<OpenStep>& open_steps,
                                const std::vector<std::string>& last_customer_acts, const Details& details,
                                const std::vector<std::string>& facts) {
  struct Ranked {
    int score;
    std::size_t order;
    Suggestion s;
  };
  std::vector<Ranked> ranked;
  for (std::size_t i = 0; i < open_steps.size(); ++i) {
    const auto& open = open_steps[i];
    // Of this step's templates, the one that fits the customer's last message best (first on ties).
    const ReplyTemplate* best = nullptr;
    for (const auto& t : config.templates) {
      if (t.step != open.step) continue;
      if (!t.when.empty() && !fits(t, last_customer_acts)) continue;
      if (!best || (fits(t, last_customer_acts) && !fits(*best, last_customer_acts))) best = &t;
    }
    if (!best) continue;
    const int score = 100 - 10 * static_cast<int>(i) + (fits(*best, last_customer_acts) ? 30 : 0) + (open.spoiled ? 15 : 0);
    ranked.push_back({score, i, {open.step, fill_template(*best, details, facts), best->id}});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
  std::vector<Suggestion> out;
  for (auto& r : ranked) {
    if (out.size() == 3) break;
    if (!r.s.text.empty()) out.push_back(std::move(r.s));
  }
  return out;
}

}  // namespace tact::coach
