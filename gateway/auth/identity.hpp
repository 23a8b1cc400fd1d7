#pragma once
// Who a request or connection is: the role and the claims of its verified token.
#include <string>

#include "auth/jwt.hpp"

namespace tact::gateway {

struct Identity {
  UserRole role = UserRole::customer;
  std::string sub;
  std::string name;
};

}  // namespace tact::gateway
