#pragma once
// Who wrote a message, and the act vocabulary each role may be labeled with (../shared/PRODUCT.md).
#include <optional>
#include <span>
#include <string_view>

namespace tact::coach {

enum class Role { customer, agent };

std::string_view to_string(Role r) noexcept;
std::optional<Role> parse_role(std::string_view s) noexcept;

// The acts a rule of this role may produce, in the vocabulary's order.
std::span<const std::string_view> acts_of(Role r) noexcept;
bool is_act_of(Role r, std::string_view act) noexcept;

}  // namespace tact::coach
