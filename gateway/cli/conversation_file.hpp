#pragma once
// Reads conversations in the format of ../shared/data/twitter-customer-care/ into timed events.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation.hpp"

namespace tact::cli {

struct RecordedConversation {
  std::string id;       // dialogHeader.sessionID, or the index in the file
  std::string company;
  std::vector<coach::Event> events;  // in order, message ids "1", "2", ...
};

// "2020-04-01T17:31:32.000Z" -> ms since the epoch; nullopt when not in that form.
std::optional<std::int64_t> parse_iso_time(const std::string& s);

// Every conversation of the file, or an error message.
struct ReadResult {
  std::vector<RecordedConversation> conversations;
  std::string error;
};
ReadResult read_conversations(const nlohmann::json& file);

}  // namespace tact::cli
