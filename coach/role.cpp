#include "role.hpp"

#include <algorithm>
#include <array>

namespace tact::coach {
namespace {
constexpr std::array<std::string_view, 5> customer_acts{"complaint", "frustration", "escalation", "gratitude",
                                                        "resolved"};
constexpr std::array<std::string_view, 13> agent_acts{
    "acknowledge", "apology", "ownership",  "empathy", "solution",    "follow_up",    "feedback_request",
    "personalization", "blame", "excuse", "non_apology", "dismissive", "negative_tone"};
}  // namespace

std::string_view to_string(Role r) noexcept { return r == Role::customer ? "customer" : "agent"; }

std::optional<Role> parse_role(std::string_view s) noexcept {
  if (s == "customer") return Role::customer;
  if (s == "agent") return Role::agent;
  return std::nullopt;
}

std::span<const std::string_view> acts_of(Role r) noexcept {
  if (r == Role::customer) return customer_acts;
  return agent_acts;
}

bool is_act_of(Role r, std::string_view act) noexcept {
  auto acts = acts_of(r);
  return std::find(acts.begin(), acts.end(), act) != acts.end();
}

}  // namespace tact::coach
