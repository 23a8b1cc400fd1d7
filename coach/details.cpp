#include "details.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <re2/re2.h>

#include "normalize.hpp"

namespace tact::coach {
namespace {

constexpr const char* kCustomerName = R"((?i:my name is|this is|it's|regards,?|thanks,?|cheers,?|^-|\s-) ([A-Z][a-z]{1,15})\s*[.!]?\s*$|(?i:my name is) ([A-Z][a-z]{1,15}))";
constexpr const char* kAgentGreeting = R"(^(?i:hi|hey|hello|dear|thanks|thank you)[,]? ([A-Z][a-z]{1,15})\b)";
constexpr const char* kHashNumber = R"(#\s?([A-Za-z0-9-]*[0-9][A-Za-z0-9-]*))";
constexpr const char* kNamedNumber = R"((?i:order|ticket|case|booking|reference|ref|confirmation|tracking)(?: (?i:number|no\.?|num|id|#))?[:\s]+([A-Za-z0-9-]*[0-9][A-Za-z0-9-]{2,}))";
constexpr const char* kProduct = R"((?i:my|the|your|our) (?i:new )?((?i:iphone|ipad|macbook|mac|airpods|apple watch|ps4|ps5|playstation|xbox|switch|laptop|phone|tv|router|modem|card|subscription|membership|app|game|flight|booking|payment|channel|email|account|computer|printer|camera|headphones))\b)";

// Compiled once (thread-safe static initialization), immutable, safe to use concurrently.
struct Patterns {
  RE2 customer_name{kCustomerName};
  RE2 agent_greeting{kAgentGreeting};
  RE2 hash_number{kHashNumber};
  RE2 named_number{kNamedNumber};
  RE2 product{kProduct};
};
const Patterns& patterns() {
  static const Patterns p;
  return p;
}

constexpr std::array<std::string_view, 12> not_names{"There", "Team", "All", "Everyone", "Again", "Very",
                                                     "Guys", "Folks", "Sir", "Madam", "Support", "Help"};

bool plausible_name(const std::string& n) {
  for (auto w : not_names)
    if (n == w) return false;
  return !n.empty();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// One word from the customer's point of view to the agent's.
std::string swap_person(const std::string& word, const std::string& previous) {
  static const std::map<std::string, std::string, std::less<>> swaps{
      {"i", "you"},        {"i'm", "you're"}, {"im", "you're"},   {"i've", "you've"}, {"ive", "you've"},
      {"i'd", "you'd"},    {"i'll", "you'll"}, {"my", "your"},    {"me", "you"},      {"mine", "yours"},
      {"myself", "yourself"}, {"am", "are"},  {"your", "our"},    {"yours", "ours"},  {"you", "we"},
      {"you're", "we're"}, {"you've", "we've"}, {"u", "we"},      {"ur", "our"}};
  const auto l = lower(word);
  if (l == "was" && previous == "i") return "were";
  if (auto it = swaps.find(l); it != swaps.end()) return it->second;
  return word;
}

bool is_clause_break(char c) { return c == '.' || c == '!' || c == '?' || c == ';' || c == ',' || c == '\n'; }

}  // namespace

std::string problem_phrase(std::string_view original, std::size_t begin, std::size_t end) {
  std::size_t b = begin, e = end;
  while (b > 0 && !is_clause_break(original[b - 1])) --b;
  while (e < original.size() && !is_clause_break(original[e])) ++e;
  // Stop at a conjunction after the complaint: "...hasn't arrived and I'm annoyed" keeps the first half.
  const auto tail = original.substr(end, e - end);
  std::size_t cut = tail.size();
  for (std::string_view conj : {" and ", " but ", " so ", " because ", " which ", " & "})
    cut = std::min(cut, tail.find(conj));
  e = end + cut;
  const auto clause = normalize(original.substr(b, e - b)).text;
  std::string out, previous;
  std::size_t words = 0, i = 0;
  while (i < clause.size() && words < 12) {
    const auto sp = clause.find(' ', i);
    const auto word = clause.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
    i = sp == std::string::npos ? clause.size() : sp + 1;
    if (word == kUrlMarker) continue;
    if (!out.empty()) out += ' ';
    out += swap_person(word, previous);
    previous = lower(word);
    ++words;
  }
  while (!out.empty() && (out.back() == ':' || out.back() == '-' || out.back() == ' ')) out.pop_back();
  if (words < 2) return "";
  // Questions and requests ("why does…", "please help…") do not read as a statement of the problem.
  static constexpr std::string_view openers[] = {"please", "pls", "plz", "can", "could", "would", "will", "why", "how",
                                                 "what", "when", "where", "who", "is", "are", "do", "does", "did",
                                                 "help", "hi", "hello", "hey", "so", "and", "but"};
  const auto first = lower(out.substr(0, out.find(' ')));
  for (auto o : openers)
    if (first == o) return "";
  if (out[0] >= 'A' && out[0] <= 'Z' && out.rfind("I ", 0) != 0) out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

void extract_details(Role role, std::string_view original, std::string_view text, const Annotation& annotation,
                     Details& d) {
  std::string a, b;
  if (role == Role::agent) {
    if (d.name.empty() && RE2::PartialMatch(text, patterns().agent_greeting, &a) && plausible_name(a)) d.name = a;
    return;
  }
  if (d.name.empty() && RE2::PartialMatch(text, patterns().customer_name, &a, &b)) {
    const auto& n = a.empty() ? b : a;
    if (plausible_name(n)) d.name = n;
  }
  if (d.order.empty()) {
    if (RE2::PartialMatch(text, patterns().hash_number, &a)) d.order = "#" + a;
    else if (RE2::PartialMatch(text, patterns().named_number, &a)) d.order = a;
  }
  if (d.product.empty() && RE2::PartialMatch(text, patterns().product, &a)) d.product = lower(a);
  // The round's first statement of the problem names it; later complaints only fill a gap.
  for (const auto& s : annotation.spans) {
    if (s.act != "complaint" || !d.problem.empty()) continue;
    if (auto p = problem_phrase(original, s.begin, s.end); !p.empty()) {
      d.problem = std::move(p);
      break;
    }
  }
}

}  // namespace tact::coach
