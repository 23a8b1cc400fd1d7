#pragma once
// The rule administration API under /api/rules (issue 7; docs/protocol.md, "Rule administration"):
// admin tokens only, every other role is refused with 401 `wrong_role` on every route.
#include <string_view>

#include "routes.hpp"

namespace tact::gateway {

// True when `path` is /api/rules or below it.
bool is_admin_path(std::string_view path);

void handle_admin_request(const Request& req, RouteContext& ctx, const Respond& respond, std::string_view path);

}  // namespace tact::gateway
