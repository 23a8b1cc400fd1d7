#include "report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

namespace tact::cli {
namespace {

using nlohmann::json;

// j[key], or null when absent (operator[] on a const json must not be asked for a missing key).
const json& field(const json& j, const char* key) {
  static const json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

const std::vector<std::string> kStepOrder = {"acknowledge", "apology", "ownership", "empathy", "solution", "follow_up", "feedback_request"};

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string duration(const json& ms) {
  if (!ms.is_number()) return "—";
  const auto s = static_cast<long long>(ms.get<double>() / 1000);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s % 3600) / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string number(const json& v, int decimals = 0) {
  if (!v.is_number()) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

std::string rating_words(const json& r) {
  if (!r.is_object() || r.value("count", 0) == 0) return "no ratings";
  return number(field(r, "mean"), 1) + " / 5 (" + std::to_string(field(r, "count").get<int>()) + " rating" + (field(r, "count") == 1 ? "" : "s") + ")";
}

using Rows = std::vector<std::pair<std::string, double>>;

Rows step_rows(const json& block) {
  Rows rows;
  const auto& steps = block.value("steps", json::object());
  for (const auto& s : kStepOrder)
    if (steps.contains(s)) rows.emplace_back(s, std::round(field(steps, s.c_str()).value("rate", 0.0) * 100));
  for (const auto& [s, v] : steps.items())
    if (std::find(kStepOrder.begin(), kStepOrder.end(), s) == kStepOrder.end()) rows.emplace_back(s, std::round(v.value("rate", 0.0) * 100));
  return rows;
}

Rows list_rows(const json& list, const char* name_key) {
  Rows rows;
  for (const auto& item : list) rows.emplace_back(item.value(name_key, std::string()), item.value("count", 0));
  return rows;
}

Rows map_rows(const json& map) {
  Rows rows;
  for (const auto& [k, v] : map.items()) rows.emplace_back(k, v.get<double>());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return rows;
}

std::string bar_chart(const std::string& title, const Rows& rows, double max, const std::string& unit) {
  const int label_w = 140, bar_w = 220, row_h = 22;
  double top = max;
  if (top <= 0)
    for (const auto& r : rows) top = std::max(top, r.second);
  if (top <= 0) top = 1;
  std::ostringstream svg;
  std::string words;
  for (const auto& [label, value] : rows) words += (words.empty() ? "" : ", ") + label + " " + number(value) + unit;
  svg << "<figure><figcaption>" << escaped(title) << "</figcaption><svg role=\"img\" aria-label=\""
      << escaped(title + ": " + (words.empty() ? "none" : words)) << "\" viewBox=\"0 0 " << label_w + bar_w + 60 << " "
      << std::max<std::size_t>(1, rows.size()) * row_h << "\">";
  int y = 0;
  for (const auto& [label, value] : rows) {
    const double w = std::clamp(value / top, 0.0, 1.0) * bar_w;
    svg << "<text x=\"" << label_w - 6 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\">" << escaped(label) << "</text>"
        << "<rect x=\"" << label_w << "\" y=\"" << y + 4 << "\" width=\"" << number(w, 1) << "\" height=\"" << row_h - 8
        << "\" rx=\"2\"/><text class=\"v\" x=\"" << number(label_w + w + 6, 1) << "\" y=\"" << y + 15 << "\">" << number(value) << escaped(unit)
        << "</text>";
    y += row_h;
  }
  svg << "</svg></figure>\n";
  return svg.str();
}

std::string weakest(const json& block) {
  std::string out = "—";
  double low = 101;
  const auto& steps = block.value("steps", json::object());
  for (const auto& [id, rate] : step_rows(block)) {
    const auto& s = field(steps, id.c_str());
    if (s.value("done", 0) + s.value("missed", 0) + s.value("spoiled", 0) == 0) continue;
    if (rate < low) {
      low = rate;
      out = id + " (" + number(rate) + "%)";
    }
  }
  return out;
}

}  // namespace

std::string report_html(const json& insights, const std::string& title) {
  const auto& team = field(insights, "team");
  std::ostringstream h;
  h << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>Tact report — " << escaped(title) << "</title><style>"
    << "body{font:14px/1.45 system-ui,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;padding:16px;max-width:1100px}"
    << "h1{font-size:20px;margin:0 0 4px}.sub{color:#424a53;margin:0 0 12px}"
    << ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:10px;margin-bottom:12px}"
    << ".tile{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;color:#424a53}"
    << ".tile b{display:block;font-size:24px;color:#1f2328}"
    << ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:10px}"
    << "figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px}"
    << "figcaption{font-weight:700;margin-bottom:6px}svg{width:100%;height:auto;font-size:12px}svg text{fill:#424a53}"
    << "svg text.v{fill:#1f2328;font-weight:700}svg rect{fill:#0969da}"
    << "table{border-collapse:collapse;background:#fff;width:100%;margin-top:12px;border:1px solid #d0d7de}"
    << "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d0d7de}</style></head><body>\n"
    << "<h1>Tact report</h1><p class=\"sub\">" << escaped(title) << "</p>\n<div class=\"tiles\">"
    << "<div class=\"tile\"><b>" << team.value("conversations", 0) << "</b>conversations closed</div>"
    << "<div class=\"tile\"><b>" << duration(field(team, "median_first_response_ms")) << "</b>median first response</div>"
    << "<div class=\"tile\"><b>" << number(field(team, "average_final_health")) << "</b>average health at the close</div>"
    << "<div class=\"tile\"><b>" << escaped(rating_words(field(team, "ratings"))) << "</b>customer rating</div></div>\n<div class=\"charts\">\n"
    << bar_chart("Playbook steps done", step_rows(team), 100, "%")
    << bar_chart("Root causes", list_rows(team.value("top_causes", json::array()), "label"), 0, "")
    << bar_chart("Flags on agents' messages", list_rows(team.value("top_flags", json::array()), "kind"), 0, "")
    << bar_chart("Outcomes", map_rows(team.value("outcomes", json::object())), 0, "")
    << bar_chart("Customer ratings", map_rows(team.value("ratings", json::object()).value("distribution", json::object())), 0, "")
    << "</div>\n<table><thead><tr><th>Agent</th><th>Conversations</th><th>Median first response</th><th>Average health</th>"
    << "<th>Rating</th><th>Weakest step</th></tr></thead><tbody>\n";
  for (const auto& a : insights.value("agents", json::array()))
    h << "<tr><td>" << escaped(a.value("agent", std::string()).empty() ? "(no agent)" : a.value("agent", std::string())) << "</td><td>" << a.value("conversations", 0) << "</td><td>"
      << duration(field(a, "median_first_response_ms")) << "</td><td>" << number(field(a, "average_final_health")) << "</td><td>"
      << escaped(rating_words(field(a, "ratings"))) << "</td><td>" << escaped(weakest(a)) << "</td></tr>\n";
  h << "</tbody></table></body></html>\n";
  return h.str();
}

std::string report_text(const json& insights, const std::string& title) {
  const auto& team = field(insights, "team");
  std::ostringstream t;
  t << "Tact report: " << title << "\n"
    << team.value("conversations", 0) << " conversations closed · median first response " << duration(field(team, "median_first_response_ms"))
    << " · average health " << number(field(team, "average_final_health")) << " · " << rating_words(field(team, "ratings")) << "\n";
  auto line = [&](const char* name, const Rows& rows, const char* unit) {
    t << name << ":";
    if (rows.empty()) t << " none";
    for (const auto& [label, value] : rows) t << "  " << label << " " << number(value) << unit;
    t << "\n";
  };
  line("steps done", step_rows(team), "%");
  line("root causes", list_rows(team.value("top_causes", json::array()), "label"), "");
  line("flags", list_rows(team.value("top_flags", json::array()), "kind"), "");
  line("outcomes", map_rows(team.value("outcomes", json::object())), "");
  for (const auto& a : insights.value("agents", json::array()))
    t << "  " << (a.value("agent", std::string()).empty() ? "(no agent)" : a.value("agent", std::string())) << ": " << a.value("conversations", 0) << " conversations, median first response "
      << duration(field(a, "median_first_response_ms")) << ", health " << number(field(a, "average_final_health")) << ", " << rating_words(field(a, "ratings"))
      << ", weakest step " << weakest(a) << "\n";
  return t.str();
}

}  // namespace tact::cli
