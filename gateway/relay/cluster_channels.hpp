#pragma once
// The bus channels of a cluster (relay/cluster.cpp says what each carries).
#include <string>

#include "auth/jwt.hpp"

namespace tact::gateway::channels {

inline const std::string kNodePrefix = "tact:node:";
inline const std::string kUserPrefix = "tact:user:";
inline const std::string kSupervisors = "tact:supervisors";
inline const std::string kAll = "tact:all";

inline std::string node(const std::string& id) { return kNodePrefix + id; }
inline std::string user(UserRole role, const std::string& sub) { return kUserPrefix + std::string(to_string(role)) + ":" + sub; }

}  // namespace tact::gateway::channels
