// tact report [--data DIR] [--from DATE] [--to DATE] [--agent SUB] [--html FILE] [--json]: the team
// insights of GET /api/insights (coach/insights.hpp) from a data dir's stored reviews, as lines,
// JSON, or a self-contained HTML page. Dates as the API takes them: 2026-12-01 (UTC; --to includes
// that day) or ms since the epoch; without them, the last 30 days.
#include <chrono>
#include <fstream>
#include <iostream>

#include "command_store.hpp"
#include "commands.hpp"
#include "insights.hpp"
#include "relay/review_rows.hpp"
#include "report_html.hpp"
#include "store/store.hpp"

namespace tact::cli {
namespace {

int usage() {
  std::cerr << "usage: tact report [--data DIR | --store LOCATION] [--from DATE] [--to DATE] [--agent SUB] [--html FILE] [--json]\n"
               "  the insights of the conversations closed in the range (default: the last 30 days), from DIR's\n"
               "  stored reviews (default ./tact-data), or LOCATION's (sqlite:DIR or postgresql://USER@HOST:PORT/DATABASE);\n"
               "  DATE is 2026-12-01 (UTC) or ms since the epoch.\n"
               "  --html FILE writes a self-contained page with charts; --json prints what GET /api/insights answers.\n";
  return 2;
}

}  // namespace

int report_command(const Args& args) {
  std::string dir = "tact-data", store_at, from_text, to_text, agent, html;
  bool as_json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--json") as_json = true;
    else if (a == "--data" && has_value) dir = args[++i];
    else if (a == "--store" && has_value) store_at = args[++i];
    else if (a == "--from" && has_value) from_text = args[++i];
    else if (a == "--to" && has_value) to_text = args[++i];
    else if (a == "--agent" && has_value) agent = args[++i];
    else if (a == "--html" && has_value) html = args[++i];
    else return usage();
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::int64_t to = now, from = now - 30LL * 86400000;
  if (!to_text.empty()) {
    auto t = coach::parse_time_bound(to_text, true);
    if (!t) return std::cerr << "tact report: --to " << to_text << " is neither a date like 2026-12-01 nor ms since the epoch\n", 2;
    to = *t;
    if (from_text.empty()) from = to - 30LL * 86400000;
  }
  if (!from_text.empty()) {
    auto f = coach::parse_time_bound(from_text, false);
    if (!f) return std::cerr << "tact report: --from " << from_text << " is neither a date like 2026-12-01 nor ms since the epoch\n", 2;
    from = *f;
  }
  if (from >= to) return std::cerr << "tact report: --from must be before --to\n", 2;

  std::string error;
  auto store = open_command_store(dir, store_at, error);
  if (!store) return std::cerr << "tact report: " << error << "\n", 1;
  auto insights = coach::insights(gateway::review_rows(*store, from, to, agent), from, to);
  insights["agent"] = agent;
  const std::string title = coach::utc_day(from) + " to " + coach::utc_day(to - 1) + " · " + (agent.empty() ? "the whole team" : "agent " + agent);
  if (!html.empty()) {
    std::ofstream out(html);
    out << report_html(insights, title);
    if (!out) return std::cerr << "tact report: cannot write " << html << "\n", 1;
    std::cerr << "tact report: wrote " << html << "\n";
  }
  if (as_json) std::cout << insights.dump() << "\n";
  else if (html.empty()) std::cout << report_text(insights, title);
  return 0;
}

}  // namespace tact::cli
