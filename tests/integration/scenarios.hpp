#pragma once
// Conversations several integration tests play the same way against a real `tact serve`.
#include <set>
#include <string>
#include <vector>

#include "harness.hpp"

namespace tact::test {

inline const std::string kComplaint = "My order #4411 still has not arrived, this is ridiculous";

struct KilledChat {
  std::string conversation;
  std::set<std::string> acked;  // every message id the server acknowledged before it died
};

// Starts `tact serve --data dir [args]`; Dana complains, Alice acknowledges, Dana sends 200 more
// messages, and the server is killed with SIGKILL after at least 50 of them were acknowledged.
KilledChat chat_killed_mid_flood(const std::string& dir, const std::vector<std::string>& args = {});

// The message ids of a stored transcript (GET /api/conversations/ID as a supervisor), after
// checking that every id in `acked` is there exactly once and none is stored twice.
std::multiset<std::string> stored_ids_holding(unsigned short port, const std::string& conversation, const std::set<std::string>& acked);

}  // namespace tact::test
