// tact replay FILE [--json] [--rules FILE] [--suggestions [--seed N]]: plays recorded conversations
// through the coach and prints what a team lead would want to know about them, or (--suggestions)
// what the agent was offered (suggestions_report.hpp).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "conversation_file.hpp"
#include "json_io.hpp"
#include "pack_loader.hpp"
#include "report_text.hpp"
#include "review.hpp"
#include "suggestions_report.hpp"

namespace tact::cli {
namespace {

using nlohmann::json;

struct Outcome {
  std::string id, company, opening;
  coach::Snapshot state;
};

struct Aggregate {
  std::map<std::string, std::map<std::string, int>> acts;  // role -> act -> messages
  std::map<std::string, int> messages;                      // role -> messages
  std::map<std::string, int> steps_done;                    // step -> conversations
  int with_complaint = 0;
  std::map<std::string, int> causes;                        // root cause (coach/review.hpp) -> conversations
  std::vector<Outcome> outcomes;
};

void progress(std::size_t done, std::size_t total) {
  const int width = 40;
  const int filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
  std::fprintf(stderr, "\r[%s%s] %zu/%zu conversations", std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

json to_json_report(const Aggregate& a, const std::vector<const Outcome*>& worst, const std::array<int, 5>& buckets,
                    double mean) {
  json steps = json::object();
  for (const auto& [s, n] : a.steps_done) steps[s] = n;
  json w = json::array();
  for (const auto* o : worst)
    w.push_back({{"conversation", o->id}, {"company", o->company}, {"score", o->state.health.score},
                 {"reasons", o->state.health.reasons}, {"checklist", json(o->state)["checklist"]}, {"opening", o->opening}});
  return {{"conversations", a.outcomes.size()}, {"messages", a.messages}, {"acts", a.acts},
          {"complaint_conversations", a.with_complaint}, {"steps_done", steps}, {"root_causes", a.causes},
          {"health", {{"mean", mean}, {"buckets", {{"0-19", buckets[0]}, {"20-39", buckets[1]}, {"40-59", buckets[2]},
                                                  {"60-79", buckets[3]}, {"80-100", buckets[4]}}}}},
          {"worst", w}};
}

void print_report(const Aggregate& a, const std::vector<const Outcome*>& worst, const std::array<int, 5>& buckets,
                  double mean) {
  std::printf("%zu conversations, %d customer and %d agent messages\n\n", a.outcomes.size(),
              a.messages.count("customer") ? a.messages.at("customer") : 0,
              a.messages.count("agent") ? a.messages.at("agent") : 0);
  for (const auto& [role, acts] : a.acts) {
    std::printf("%s acts (messages with the act):\n", role.c_str());
    const int total = std::max(1, a.messages.at(role));
    for (const auto& [act, n] : acts) std::printf("  %-18s %5d  %5.1f%%\n", act.c_str(), n, 100.0 * n / total);
  }
  std::printf("\nplaybook steps done, of %d conversations with a complaint:\n", a.with_complaint);
  for (const auto& [step, n] : a.steps_done)
    std::printf("  %-18s %5d  %5.1f%%\n", step.c_str(), n, 100.0 * n / std::max(1, a.with_complaint));
  std::printf("\nroot causes (the pack's `causes`; \"other\" when none matched), of %zu conversations:\n", a.outcomes.size());
  for (const auto& [cause, n] : a.causes)
    std::printf("  %-18s %5d  %5.1f%%\n", cause.c_str(), n, 100.0 * n / static_cast<double>(std::max<std::size_t>(1, a.outcomes.size())));
  std::printf("\nhealth at the end (mean %.1f):\n", mean);
  const char* labels[] = {"0-19", "20-39", "40-59", "60-79", "80-100"};
  for (int i = 0; i < 5; ++i) std::printf("  %-7s %5d  %s\n", labels[i], buckets[i], std::string(buckets[i] / 5, '#').c_str());
  std::printf("\nfive worst conversations:\n");
  for (const auto* o : worst) {
    std::printf("  %s (%s) score %d: \"%s\"\n", o->id.c_str(), o->company.c_str(), o->state.health.score,
                one_line(o->opening, 90).c_str());
    for (const auto& r : o->state.health.reasons) std::printf("      %4d  %s\n", r.delta, r.text.c_str());
  }
}

}  // namespace

int replay_command(const Args& args) {
  std::string file, rules_path;
  bool as_json = false, suggestions = false;
  unsigned seed = 18;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) rules_path = args[++i];
    else if (args[i] == "--json") as_json = true;
    else if (args[i] == "--suggestions") suggestions = true;
    else if (args[i] == "--seed" && i + 1 < args.size() && args[i + 1].find_first_not_of("0123456789") == std::string::npos &&
             !args[i + 1].empty() && args[i + 1].size() < 10)
      seed = static_cast<unsigned>(std::stoul(args[++i]));
    else if (file.empty() && args[i].rfind("--", 0) != 0) file = args[i];
    else file.clear(), i = args.size();
  }
  if (file.empty()) {
    std::cerr << "usage: tact replay FILE [--json] [--rules FILE] [--suggestions [--seed N]]\n"
                 "FILE: conversations as in ../shared/data/twitter-customer-care/*.json\n"
                 "--suggestions: what the agent was offered, and 50 suggestions sampled with seed N (default 18)\n";
    return 2;
  }
  auto rules = load_rules(rules_path, std::cerr);
  if (!rules) return 2;
  auto text = read_file(file, std::cerr);
  if (!text) return 2;
  auto parsed = json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) {
    std::cerr << "tact replay: " << file << " is not valid JSON\n";
    return 2;
  }
  auto recorded = read_conversations(parsed);
  if (!recorded.error.empty()) {
    std::cerr << "tact replay: " << file << ": " << recorded.error << "\n";
    return 2;
  }
  if (suggestions) {
    print_suggestions_report(*rules, recorded.conversations, seed, 50, std::cout);
    return std::cout ? 0 : 1;
  }
  const bool show_progress = isatty(STDERR_FILENO);
  Aggregate agg;
  const auto total = recorded.conversations.size();
  for (std::size_t i = 0; i < total; ++i) {
    const auto& rc = recorded.conversations[i];
    coach::Conversation conv;
    std::int64_t last = 0;
    for (const auto& e : rc.events) {
      const auto r = conv.apply(*rules, e);
      const std::string role(coach::to_string(e.role));
      ++agg.messages[role];
      for (const auto& act : r.annotation.acts) ++agg.acts[role][act];
      last = e.at_ms;
    }
    Outcome o{rc.id, rc.company, rc.events.empty() ? "" : rc.events.front().text, conv.snapshot(*rules, last)};
    if (!o.state.checklist.empty()) {
      ++agg.with_complaint;
      for (const auto& st : o.state.checklist)
        agg.steps_done[st.step] += st.status == coach::StepStatus::done ? 1 : 0;
    }
    ++agg.causes[coach::find_root_cause(*rules, rc.events).id];
    agg.outcomes.push_back(std::move(o));
    if (show_progress && (i % 20 == 0 || i + 1 == total)) progress(i + 1, total);
  }
  std::array<int, 5> buckets{};
  double sum = 0;
  std::vector<const Outcome*> order;
  for (const auto& o : agg.outcomes) {
    ++buckets[std::min(4, o.state.health.score / 20)];
    sum += o.state.health.score;
    order.push_back(&o);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Outcome* a, const Outcome* b) { return a->state.health.score < b->state.health.score; });
  order.resize(std::min<std::size_t>(5, order.size()));
  const double mean = agg.outcomes.empty() ? 0 : sum / static_cast<double>(agg.outcomes.size());
  if (as_json) std::cout << coach::dump(to_json_report(agg, order, buckets, mean)) << "\n";
  else print_report(agg, order, buckets, mean);
  return std::cout ? 0 : 1;
}

}  // namespace tact::cli
