// Golden tests: every example frame in docs/protocol.md is produced here by the code that sends it,
// from the inputs the doc's story uses (Dana's order #4411 in conversation c3, agent Alice,
// supervisor Sam), and compared with the doc as JSON values. When the coach or a frame changes,
// this fails and prints what the code now sends, so the doc is updated with it and cannot drift.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation.hpp"
#include "protocol/coach_frames.hpp"
#include "protocol/protocol.hpp"
#include "protocol/server_events.hpp"
#include "rule_set.hpp"
#include "rules/pack_source.hpp"

namespace {

using nlohmann::json;
using namespace tact::gateway;
namespace coach = tact::coach;

// Each ```json block of the doc, split into its JSON values (an example may wrap over lines).
std::vector<json> doc_examples() {
  std::ifstream in(TACT_SOURCE_DIR "/docs/protocol.md");
  REQUIRE(in);
  std::vector<json> out;
  std::string line, pending;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.starts_with("```")) {
      in_block = !in_block && line == "```json";
      REQUIRE(pending.empty());  // an example that never became JSON
      continue;
    }
    if (!in_block) continue;
    pending += line + "\n";
    if (json::accept(pending)) {
      out.push_back(json::parse(pending));
      pending.clear();
    }
  }
  return out;
}

// The doc's example of the server event `type` (the client frames share some type names, so
// server events are those with a field only the server sends).
json doc_event(const std::vector<json>& examples, const std::string& type, const std::string& marker) {
  for (const auto& e : examples)
    if (e.value("type", "") == type && e.contains(marker)) return e;
  FAIL("docs/protocol.md has no example of the `" << type << "` event");
  return {};
}

// On a difference the code's version is also written, unwrapped, to a file to paste into the doc.
void same(const json& doc, const std::string& produced) {
  const auto code = json::parse(produced);
  if (doc == code) return;
  const auto path = std::filesystem::temp_directory_path() / ("tact-protocol-doc-" + code.value("type", "event") + ".json");
  std::ofstream(path) << code.dump() << "\n";
  INFO("docs/protocol.md shows:\n" << doc.dump() << "\nthe code sends (also in " << path.string() << "):\n" << code.dump());
  CHECK(doc == code);
}

const std::string kVersion = "default@3f2a9c1b7d40";
const std::string kComplaint = "My order #4411 still hasn't arrived and nobody answers!";
constexpr std::int64_t kAt = 1718000000000;

struct Story {
  coach::RuleSetPtr rules = coach::compile(json::parse(default_pack_text())).rules;
  coach::Conversation conversation;
  coach::MessageResult first;
  Story() {
    REQUIRE(rules);
    first = conversation.apply(*rules, {coach::Role::customer, kComplaint, kAt, "c3-1"});
  }
};

}  // namespace

TEST_CASE("every client frame in the doc is well formed and allowed for a sender") {
  std::size_t client_frames = 0;
  for (const auto& e : doc_examples()) {
    const auto type = e.value("type", "");
    // HTTP bodies have no "type"; a rating's "score" is the customer's, not a health score.
    const bool server_only = e.contains("id") || e.contains("code") || e.contains("role") || e.contains("flags") ||
                             (e.contains("score") && type != "rating") || e.contains("customer") || e.contains("at") ||
                             e.contains("seq");
    if (type.empty() || server_only || type == "hello" || type == "ack" || type == "coach" || type == "feedback_noted") continue;
    INFO(e.dump());
    auto parsed = parse_client_frame(e.dump());
    REQUIRE(parsed.frame);
    ++client_frames;
    bool someone_may = false;
    for (auto role : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin})
      someone_may = someone_may || !check_role(*parsed.frame, role);
    CHECK(someone_may);
  }
  CHECK(client_frames == 9);  // message (customer, agent), draft, whisper, close, subscribe, rating, feedback (dispute, used)
}

TEST_CASE("the doc's server events are what the code sends") {
  const auto examples = doc_examples();
  Story story;

  same(doc_event(examples, "hello", "rules_version"),
       hello_event({UserRole::agent, "alice", "Alice"}, kVersion, 16384, {"c3", "c7"}));
  same(doc_event(examples, "ack", "seq"), ack_event("k1", "c3", "c3-1", 1));
  same(doc_event(examples, "message", "seq"), message_event("c3", "c3-1", 1, coach::Role::customer, "Dana", kComplaint, kAt));
  const auto snap = story.conversation.snapshot(*story.rules, kAt);
  same(doc_event(examples, "coach", "acts"),
       coach_event(coach_payload("c3", "c3-1", coach::Role::customer, story.first, snap, kVersion)));
  same(doc_event(examples, "draft_check", "flags"),
       draft_check_event("c3", story.conversation.check_draft(*story.rules, "you should have checked the tracking")));
  // A supervisor's view 65 s later, the customer still waiting for Alice's first answer.
  same(doc_event(examples, "health", "score"),
       health_event("c3", story.conversation.snapshot(*story.rules, kAt + 65000), "alice", true));
  same(doc_event(examples, "whisper", "from"), whisper_event("c3", "c3-w1", "Sam", "Offer the express replacement.", kAt + 5000));
  same(doc_event(examples, "assigned", "customer"), assigned_event("c3", "Dana"));
  same(doc_event(examples, "closed", "at"), closed_event("c3", kAt + 9000));
  same(doc_event(examples, "rated", "replaced"), rated_event("c3", 2, "Nobody said sorry.", kAt + 60000, false));
  same(doc_event(examples, "feedback_noted", "kind"), feedback_noted_event("c3", "c3-4", "dispute", "blame.customer-fault"));
  auto missing_text = parse_client_frame(R"({"type":"message","client_id":"k1"})");
  REQUIRE_FALSE(missing_text.frame);
  same(doc_event(examples, "error", "code"), error_event(missing_text.error));
}
