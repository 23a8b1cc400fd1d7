#include "template_check.hpp"

#include <algorithm>

#include "annotator.hpp"
#include "rule_set.hpp"
#include "suggest.hpp"

namespace tact::coach {

std::vector<Problem> check_templates(const RuleSet& rules) {
  const auto& c = rules.coaching();
  Details sample;
  sample.name = kSampleName;
  sample.order = kSampleOrder;
  sample.product = kSampleProduct;
  sample.problem = kSampleProblem;
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    const auto& t = c.templates[i];
    const auto* step = c.find_step(t.step);
    if (!step) continue;  // reported by the parser
    for (std::size_t k = 0; k < t.variants.size(); ++k) {
      const auto text = fill_variant(t.variants[k].text, sample);
      const auto a = annotate(rules, Role::agent, text, Spans::no);
      const bool does = std::any_of(step->acts.begin(), step->acts.end(), [&](const std::string& x) { return a.has(x); });
      std::vector<std::string> bad;
      for (const auto& act : a.acts)
        if (std::find(step->acts.begin(), step->acts.end(), act) == step->acts.end() &&
            (std::find(step->spoiled_by.begin(), step->spoiled_by.end(), act) != step->spoiled_by.end() ||
            std::find(c.flagged_acts.begin(), c.flagged_acts.end(), act) != c.flagged_acts.end()))
          bad.push_back(act);
      if (does && bad.empty()) continue;
      std::string acts;
      for (const auto& act : a.acts) acts += (acts.empty() ? "" : ", ") + act;
      std::string reason = "sent as it is (\"" + text + "\") it is annotated as [" + acts + "]";
      if (!does) reason += ", not as step \"" + t.step + "\"";
      for (const auto& b : bad) reason += ", and as " + b + ", which spoils the step or is flagged";
      reason += "; rephrase the variant so the rules recognise it, or add a rule that does";
      problems.push_back({"", "templates[" + std::to_string(i) + "].variants[" + std::to_string(k) + "]", reason, {}});
    }
  }
  return problems;
}

}  // namespace tact::coach
