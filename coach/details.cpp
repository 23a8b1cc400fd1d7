#include "details.hpp"

#include <algorithm>

#include <re2/re2.h>

#include "normalize.hpp"

namespace tact::coach {
namespace {

constexpr const char* kProduct = R"((?i:my|the|your|our) (?i:new )?((?i:iphone|ipad|macbook|mac|airpods|apple watch|ps4|ps5|playstation|xbox|switch|laptop|phone|tv|router|modem|card|subscription|membership|app|game|flight|booking|payment|channel|email|account|computer|printer|camera|headphones))\b)";

const RE2& product_pattern() {
  static const RE2 re{kProduct};
  return re;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The first word of the token's name when it reads as a first name: "dana lee" -> "Dana".
std::string token_first_name(std::string_view full) {
  std::string word(full.substr(0, full.find(' ')));
  if (word.size() < 2 || word.size() > 20) return "";
  for (char c : word)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '\'')) return "";
  if (word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

// Group 1 of the first pattern that matches, with its byte range in `text`.
std::optional<std::pair<std::string, ByteRange>> first_group(const std::vector<std::shared_ptr<const RE2>>& patterns,
                                                            std::string_view text,
                                                            const std::vector<std::string>& refused = {}) {
  for (const auto& re : patterns) {
    re2::StringPiece input(text.data(), text.size()), m[2];
    std::size_t pos = 0;
    while (pos <= text.size() && re->Match(input, pos, text.size(), RE2::UNANCHORED, m, 2)) {
      if (!m[1].empty() && std::find(refused.begin(), refused.end(), std::string(m[1].data(), m[1].size())) == refused.end()) {
        const auto b = static_cast<std::uint32_t>(m[1].data() - text.data());
        return std::make_pair(std::string(m[1].data(), m[1].size()), ByteRange{b, b + static_cast<std::uint32_t>(m[1].size())});
      }
      const auto next = static_cast<std::size_t>(m[0].data() - text.data()) + std::max<std::size_t>(1, m[0].size());
      if (next <= pos) break;
      pos = next;
    }
  }
  return std::nullopt;
}

ByteRange original_range(const NormalizedText& t, ByteRange r) {
  return t.origin.empty() || r.begin >= r.end ? r : t.to_original(r.begin, r.end);
}

}  // namespace

CustomerDetails customer_details(const DetailsConfig& config, std::string_view text) {
  CustomerDetails out;
  if (auto n = first_group(config.name, text, config.not_names)) {
    out.name = n->first;
    out.name_span = n->second;
  }
  if (auto o = first_group(config.order, text)) {
    out.order.clear();
    for (char c : o->first)
      if (c != ' ') out.order += c;
    out.order_span = o->second;
  }
  return out;
}

std::optional<Restatement> extract_details(const CoachingConfig& c, const Event& e, const NormalizedText& text,
                                           const Annotation& annotation, Details& d) {
  if (d.name.empty() && !e.customer_name.empty()) {
    if (auto n = token_first_name(e.customer_name); !n.empty()) {
      d.name = n;
      d.sources["name"] = {"token", "", std::nullopt};
    }
  }
  if (e.role == Role::agent) {
    // The agent's words never give a detail; they may ask that one is not repeated in public.
    for (const auto& w : c.details.withhold)
      if (RE2::PartialMatch(text.text, *w.re))
        for (const auto& k : w.details)
          if (std::find(d.withheld.begin(), d.withheld.end(), k) == d.withheld.end()) d.withheld.push_back(k);
    return std::nullopt;
  }
  auto found = customer_details(c.details, text.text);
  // "- Dropbox" after "@DropboxSupport" signs with the company's name, not the customer's.
  for (std::size_t at = e.text.find('@'); at != std::string::npos && !found.name.empty(); at = e.text.find('@', at + 1)) {
    const auto end = e.text.find_first_of(" \n\t,.:;!?", at);
    if (lower(e.text.substr(at, end == std::string::npos ? std::string::npos : end - at)).find(lower(found.name)) != std::string::npos)
      found.name.clear();
  }
  if (d.name.empty() && !found.name.empty()) {
    d.name = found.name;
    d.sources["name"] = {"customer", e.message_id, original_range(text, *found.name_span)};
  }
  if (d.order.empty() && !found.order.empty()) {
    d.order = found.order;
    d.sources["order"] = {"customer", e.message_id, original_range(text, *found.order_span)};
  }
  std::string product;
  if (re2::StringPiece m[2]; d.product.empty() && product_pattern().Match(text.text, 0, text.text.size(), RE2::UNANCHORED, m, 2)) {
    d.product = lower(std::string_view(m[1].data(), m[1].size()));
    const auto b = static_cast<std::uint32_t>(m[1].data() - text.text.data());
    d.sources["product"] = {"customer", e.message_id, original_range(text, {b, b + static_cast<std::uint32_t>(m[1].size())})};
  }
  auto restated = restate_complaint(c.frames, text, annotation, c.opens_round);
  // The round's first restated complaint names the problem; later ones only fill a gap.
  if (restated && d.problem.empty()) {
    d.problem = restated->phrase;
    d.sources["problem"] = {"customer", e.message_id, restated->span};
  }
  return restated;
}

}  // namespace tact::coach
