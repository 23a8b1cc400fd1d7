#pragma once
// `tact report --html FILE`: the insights (coach/insights.hpp JSON) as one self-contained HTML
// page, its bar charts drawn as inline SVG; no script, no external file.
#include <string>

#include <nlohmann/json.hpp>

namespace tact::cli {

// `title` names the range and who ("2026-11-01 to 2026-11-30 · the whole team").
std::string report_html(const nlohmann::json& insights, const std::string& title);

// The insights as lines for a terminal.
std::string report_text(const nlohmann::json& insights, const std::string& title);

}  // namespace tact::cli
