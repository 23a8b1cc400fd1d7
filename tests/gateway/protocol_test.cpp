#include <catch2/catch.hpp>

#include "protocol/protocol.hpp"

using namespace tact::gateway;

namespace {
std::string code_of(const std::string& frame) {
  auto p = parse_client_frame(frame);
  return p.frame ? "ok" : p.error.code;
}
}  // namespace

TEST_CASE("well-formed frames parse") {
  auto p = parse_client_frame(R"({"type":"message","text":"hi","client_id":"k1"})");
  REQUIRE(p.frame);
  CHECK(p.frame->type == FrameType::message);
  CHECK(p.frame->conversation.empty());
  CHECK(p.frame->text == "hi");
  CHECK(p.frame->client_id == "k1");
  CHECK(code_of(R"({"type":"draft","conversation":"c1","text":""})") == "ok");
  CHECK(code_of(R"({"type":"close","conversation":"c1"})") == "ok");
  CHECK(code_of(R"({"type":"whisper","conversation":"c1","text":"psst"})") == "ok");
  CHECK(code_of(R"({"type":"subscribe"})") == "ok");
}

TEST_CASE("bad frames name the problem") {
  CHECK(code_of("") == "bad_json");
  CHECK(code_of("{") == "bad_json");
  CHECK(code_of("\"message\"") == "bad_json");
  CHECK(code_of("{}") == "unknown_type");
  CHECK(code_of(R"({"type":7})") == "unknown_type");
  CHECK(code_of(R"({"type":"yell"})") == "unknown_type");
  CHECK(code_of(R"({"type":"message","client_id":"k"})") == "missing_field");
  CHECK(code_of(R"({"type":"message","text":"hi"})") == "missing_field");
  CHECK(code_of(R"({"type":"message","text":"","client_id":"k"})") == "bad_field");
  CHECK(code_of(R"({"type":"message","text":["hi"],"client_id":"k"})") == "bad_field");
  CHECK(code_of(R"({"type":"draft","text":"x"})") == "missing_field");
  CHECK(code_of(R"({"type":"close"})") == "missing_field");
  CHECK(code_of(R"({"type":"message","text":"x","client_id":")" + std::string(200, 'k') + "\"}") == "bad_field");
  // A NUL would be cut short or refused by a store: the frame is refused, saying so.
  CHECK(code_of(R"({"type":"message","text":"my order\u0000 is late","client_id":"k"})") == "bad_field");
  CHECK(parse_client_frame(R"({"type":"whisper","conversation":"c1","text":"a\u0000"})").error.message.find("U+0000") != std::string::npos);
  CHECK(code_of(R"({"type":"message","text":"tab\there, é, 🙂","client_id":"k"})") == "ok");
}

TEST_CASE("frames read as JSON reads them: top-level keys only, the last of a repeated key") {
  auto p = parse_client_frame(R"({"type":"message","text":"first","text":"second","client_id":"k"})");
  REQUIRE(p.frame);
  CHECK(p.frame->text == "second");
  // A field of the same name inside another value is not the frame's.
  p = parse_client_frame(R"({"extra":{"conversation":"c9","text":[1]},"type":"message","text":"hi","client_id":"k"})");
  REQUIRE(p.frame);
  CHECK(p.frame->conversation.empty());
  CHECK(p.frame->text == "hi");
  CHECK(code_of(R"({"x":{"type":"close","conversation":"c1"}})") == "unknown_type");
  // null is absent; an object where a string belongs is named.
  p = parse_client_frame(R"({"type":"close","conversation":null})");
  CHECK(p.error.message == "\"conversation\" is required for a close");
  p = parse_client_frame(R"({"type":"close","conversation":{"id":"c1"}})");
  CHECK(p.error.message == "\"conversation\" must be a string");
  for (auto [frame, name] : {std::pair{"[1,2]", "array"}, {"null", "null"}, {"7", "number"}, {"true", "boolean"}, {"\"hi\"", "string"}})
    CHECK(parse_client_frame(frame).error.message == std::string("the frame must be a JSON object, not ") + name);
  CHECK(parse_client_frame("[1,2").error.message == "the frame is not valid JSON");
  CHECK(parse_client_frame(R"({"type":"close"} {})").error.message == "the frame is not valid JSON");
}

TEST_CASE("error refs carry the client_id, else the type") {
  auto p = parse_client_frame(R"({"type":"message","client_id":"k7"})");
  CHECK(p.error.ref == "k7");
  p = parse_client_frame(R"({"type":"close"})");
  CHECK(p.error.ref == "close");
  p = parse_client_frame("nope");
  CHECK(p.error.ref.is_null());
  auto e = nlohmann::json::parse(error_event(p.error));
  CHECK(e.at("type") == "error");
  CHECK(e.at("code") == "bad_json");
}

TEST_CASE("roles may send only their frames") {
  auto frame = [](FrameType t) {
    ClientFrame f;
    f.type = t;
    return f;
  };
  CHECK_FALSE(check_role(frame(FrameType::message), UserRole::customer));
  CHECK_FALSE(check_role(frame(FrameType::message), UserRole::agent));
  CHECK(check_role(frame(FrameType::message), UserRole::supervisor)->code == "wrong_role");
  CHECK(check_role(frame(FrameType::draft), UserRole::customer));
  CHECK_FALSE(check_role(frame(FrameType::draft), UserRole::agent));
  CHECK(check_role(frame(FrameType::whisper), UserRole::agent));
  CHECK_FALSE(check_role(frame(FrameType::whisper), UserRole::supervisor));
  CHECK_FALSE(check_role(frame(FrameType::subscribe), UserRole::admin));
  CHECK(check_role(frame(FrameType::subscribe), UserRole::customer));
}

TEST_CASE("a rating frame: a whole score from 1 to 5 and a short comment, from a customer") {
  auto p = parse_client_frame(R"({"type":"rating","conversation":"c3","score":2,"comment":"Nobody said sorry."})");
  REQUIRE(p.frame);
  CHECK(p.frame->type == FrameType::rating);
  CHECK(p.frame->conversation == "c3");
  CHECK(p.frame->score == 2);
  CHECK(p.frame->comment == "Nobody said sorry.");
  CHECK(code_of(R"({"type":"rating","conversation":"c3","score":5})") == "ok");
  for (const char* bad : {R"({"type":"rating","conversation":"c3","score":0})", R"({"type":"rating","conversation":"c3","score":6})",
                          R"({"type":"rating","conversation":"c3","score":"5"})", R"({"type":"rating","conversation":"c3","score":4.5})",
                          R"({"type":"rating","conversation":"c3","score":-1})", R"({"type":"rating","conversation":"c3","score":99999999999999999999})"}) {
    INFO(bad);
    auto e = parse_client_frame(bad);
    REQUIRE_FALSE(e.frame);
    CHECK(e.error.code == "bad_field");
    CHECK(e.error.message.find("whole number from 1 (bad) to 5 (great)") != std::string::npos);
    CHECK(e.error.ref == "rating");
  }
  CHECK(parse_client_frame(R"({"type":"rating","conversation":"c3","score":6})").error.message.find("6 is out of range") != std::string::npos);
  CHECK(parse_client_frame(R"({"type":"rating","conversation":"c3","score":"5"})").error.message.find("not a string") != std::string::npos);
  CHECK(code_of(R"({"type":"rating","conversation":"c3"})") == "missing_field");
  CHECK(code_of(R"({"type":"rating","score":3})") == "missing_field");
  const auto huge = parse_client_frame(R"({"type":"rating","conversation":"c3","score":3,"comment":")" + std::string(1001, 'x') + "\"}");
  REQUIRE_FALSE(huge.frame);
  CHECK(huge.error.message == "\"comment\" is 1001 bytes; shorten it to at most 1000");
  CHECK(code_of(R"({"type":"rating","conversation":"c3","score":3,"comment":7})") == "bad_field");
  CHECK_FALSE(check_role(*p.frame, UserRole::customer));
  for (auto role : {UserRole::agent, UserRole::supervisor, UserRole::admin}) CHECK(check_role(*p.frame, role));
}

TEST_CASE("a feedback frame: a dispute names the flag's rule, a used or edited suggestion its template; from an agent") {
  auto p = parse_client_frame(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","rule":"blame.x","reason":"it was advice"})");
  REQUIRE(p.frame);
  CHECK(p.frame->type == FrameType::feedback);
  CHECK(p.frame->message_id == "c3-4");
  CHECK(p.frame->kind == "dispute");
  CHECK(p.frame->target == "blame.x");
  CHECK(p.frame->reason == "it was advice");
  auto used = parse_client_frame(R"({"type":"feedback","conversation":"c3","message_id":"c3-3","kind":"used","template":"apology.2"})");
  REQUIRE(used.frame);
  CHECK(used.frame->target == "apology.2");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-3","kind":"edited","template":"apology.2"})") == "ok");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","rule":"blame.x"})") == "ok");
  // A dispute needs its rule, a suggestion its template: the other name does not do.
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","template":"apology.2"})") == "missing_field");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-3","kind":"used","rule":"blame.x"})") == "missing_field");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","kind":"used","template":"a.1"})") == "missing_field");
  CHECK(code_of(R"({"type":"feedback","message_id":"c3-3","kind":"used","template":"a.1"})") == "missing_field");
  const auto kind = parse_client_frame(R"({"type":"feedback","conversation":"c3","message_id":"c3-3","kind":"liked","template":"a.1"})");
  REQUIRE_FALSE(kind.frame);
  CHECK(kind.error.code == "bad_field");
  CHECK(kind.error.message.find("\"dispute\"") != std::string::npos);
  CHECK(kind.error.ref == "feedback");
  const auto long_reason = parse_client_frame(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","rule":"b","reason":")" +
                                              std::string(501, 'x') + "\"}");
  REQUIRE_FALSE(long_reason.frame);
  CHECK(long_reason.error.message == "\"reason\" is 501 bytes; shorten it to at most 500");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","rule":7})") == "bad_field");
  CHECK(code_of(R"({"type":"feedback","conversation":"c3","message_id":"c3-4","kind":"dispute","rule":"b","reason":"a\u0000b"})") == "bad_field");
  CHECK_FALSE(check_role(*p.frame, UserRole::agent));
  for (auto role : {UserRole::customer, UserRole::supervisor, UserRole::admin}) CHECK(check_role(*p.frame, role));
}
