#include "suggestions_report.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "annotator.hpp"
#include "report_text.hpp"

namespace tact::cli {
namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

struct Shown {
  const RecordedConversation* conversation;
  std::size_t after;  // index of the customer message it answers
  coach::Suggestion suggestion;
  bool restates = false;
  bool counts = false;  // annotated as one of its step's acts, and as nothing that spoils the step
  std::vector<std::string> bad_acts;
};

// Where a detail's value first appears: "customer" or "agent" text, or "elsewhere" (the token,
// or a rewrite of the customer's words).
std::string inferred_source(const RecordedConversation& rc, std::size_t upto, const std::string& value) {
  auto needle = lower(value);
  if (!needle.empty() && needle[0] == '#') needle.erase(0, 1);
  for (std::size_t i = 0; i <= upto && i < rc.events.size(); ++i)
    if (lower(rc.events[i].text).find(needle) != std::string::npos)
      return rc.events[i].role == coach::Role::customer ? "customer" : "agent";
  return "elsewhere";
}

struct FoundDetail {
  std::string kind, value, source, context;
};

}  // namespace

void print_suggestions_report(const coach::RuleSet& rules, const std::vector<RecordedConversation>& conversations,
                              unsigned seed, std::size_t sample_size, std::ostream& out) {
  const auto& config = rules.coaching();
  std::vector<Shown> shown;
  std::size_t points = 0, points_with = 0;
  std::map<std::string, std::map<std::string, int>> details_by_kind;  // kind -> source -> conversations
  std::vector<FoundDetail> names_and_orders;
  for (const auto& rc : conversations) {
    coach::Conversation conv;
    std::map<std::string, std::string> seen;  // kind -> value already counted
    for (std::size_t i = 0; i < rc.events.size(); ++i) {
      const auto& e = rc.events[i];
      conv.apply(rules, e);
      const auto snap = conv.snapshot(rules, e.at_ms);
      const std::pair<const char*, const std::string*> kinds[] = {{"name", &snap.details.name},
                                                                  {"order", &snap.details.order},
                                                                  {"product", &snap.details.product},
                                                                  {"problem", &snap.details.problem}};
      for (const auto& [kind, value] : kinds) {
        if (value->empty() || seen[kind] == *value) continue;
        seen[kind] = *value;
        const auto source = inferred_source(rc, i, *value);
        ++details_by_kind[kind][source];
        if (std::string(kind) == "name" || std::string(kind) == "order")
          names_and_orders.push_back({kind, *value, source, one_line(e.text, 110)});
      }
      if (e.role != coach::Role::customer) continue;
      ++points;
      if (!snap.suggestions.empty()) ++points_with;
      for (const auto& s : snap.suggestions) {
        Shown sh{&rc, i, s};
        sh.restates = !snap.details.problem.empty() && s.text.find(snap.details.problem) != std::string::npos;
        const auto a = coach::annotate(rules, coach::Role::agent, s.text);
        if (const auto* step = config.find_step(s.step)) {
          const bool does = std::any_of(step->acts.begin(), step->acts.end(), [&](const std::string& x) { return a.has(x); });
          const bool spoils = std::any_of(step->spoiled_by.begin(), step->spoiled_by.end(),
                                          [&](const std::string& x) { return a.has(x); });
          sh.counts = does && !spoils;
        }
        for (const auto& act : config.flagged_acts)
          if (a.has(act)) sh.bad_acts.push_back(act);
        shown.push_back(std::move(sh));
      }
    }
  }

  const auto pct = [](std::size_t n, std::size_t of) { return of ? 100.0 * static_cast<double>(n) / static_cast<double>(of) : 0.0; };
  const auto restating = std::count_if(shown.begin(), shown.end(), [](const Shown& s) { return s.restates; });
  const auto counting = std::count_if(shown.begin(), shown.end(), [](const Shown& s) { return s.counts; });
  const auto flagged = std::count_if(shown.begin(), shown.end(), [](const Shown& s) { return !s.bad_acts.empty(); });
  std::map<std::string, std::pair<int, int>> by_step;  // step -> (shown, counts)
  std::map<std::string, int> distinct_texts;
  for (const auto& s : shown) {
    auto& b = by_step[s.suggestion.step];
    ++b.first;
    b.second += s.counts ? 1 : 0;
    ++distinct_texts[s.suggestion.text];
  }
  char line[256];
  out << conversations.size() << " conversations; after " << points << " customer messages the agent saw " << shown.size()
      << " suggestions (" << points_with << " times at least one, " << distinct_texts.size() << " distinct texts)\n";
  std::snprintf(line, sizeof line, "  restate the customer's problem:   %5zu  %5.1f%%\n", static_cast<std::size_t>(restating),
                pct(static_cast<std::size_t>(restating), shown.size()));
  out << line;
  std::snprintf(line, sizeof line, "  annotated as their own step:      %5zu  %5.1f%%\n", static_cast<std::size_t>(counting),
                pct(static_cast<std::size_t>(counting), shown.size()));
  out << line;
  std::snprintf(line, sizeof line, "  raise a flag (a bad act) if sent: %5zu  %5.1f%%\n", static_cast<std::size_t>(flagged),
                pct(static_cast<std::size_t>(flagged), shown.size()));
  out << line << "\nby step (shown, annotated as the step):\n";
  for (const auto& [step, n] : by_step) {
    std::snprintf(line, sizeof line, "  %-18s %5d  %5d  %5.1f%%\n", step.c_str(), n.first, n.second,
                  pct(static_cast<std::size_t>(n.second), static_cast<std::size_t>(n.first)));
    out << line;
  }
  out << "\ndetails found (conversations; source: where the value first appears):\n";
  for (const auto& [kind, sources] : details_by_kind) {
    out << "  " << kind << ":";
    for (const auto& [src, n] : sources) out << " " << src << " " << n;
    out << "\n";
  }
  out << "\nnames and order numbers found, with the message that gave them:\n";
  for (const auto& d : names_and_orders)
    out << "  " << d.kind << " \"" << d.value << "\" (" << d.source << "): " << d.context << "\n";

  // A sample a person reads: Fisher-Yates over mt19937's raw output (the same on every platform).
  std::vector<std::size_t> order(shown.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  order.resize(std::min(sample_size, order.size()));
  out << "\n" << order.size() << " sampled suggestions in context (seed " << seed << "):\n";
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& s = shown[order[k]];
    const auto& events = s.conversation->events;
    out << "\n[" << k + 1 << "] " << s.conversation->id << " (" << s.conversation->company << "), after message "
        << s.after + 1 << "\n";
    if (s.after > 0 && events[s.after - 1].role == coach::Role::agent)
      out << "    agent:    " << one_line(events[s.after - 1].text, 160) << "\n";
    out << "    customer: " << one_line(events[s.after].text, 240) << "\n";
    out << "    -> " << s.suggestion.step << ": " << s.suggestion.text << "\n";
    if (!s.counts || !s.bad_acts.empty()) {
      std::string note = s.counts ? "" : "not annotated as " + s.suggestion.step;
      for (const auto& b : s.bad_acts) note += (note.empty() ? "" : "; ") + std::string("flagged ") + b;
      out << "       (" << note << ")\n";
    }
  }
}

}  // namespace tact::cli
