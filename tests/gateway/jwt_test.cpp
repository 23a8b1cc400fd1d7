#include <catch2/catch.hpp>

#include "auth/jwt.hpp"

using namespace tact::gateway;

TEST_CASE("base64url round trips every length") {
  std::string s;
  for (int i = 0; i < 70; ++i) {
    CHECK(base64url_decode(base64url_encode(s)) == s);
    s.push_back(static_cast<char>(i * 37));
  }
  CHECK_FALSE(base64url_decode("a+b/"));
  CHECK_FALSE(base64url_decode("abcde"));
}

TEST_CASE("a signed token verifies and keeps its claims") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  auto t = sign_token({UserRole::agent, "alice", "Alice", 2000}, secret);
  auto c = verify_token(t, secret, 1000);
  REQUIRE(c.claims);
  CHECK(c.claims->role == UserRole::agent);
  CHECK(c.claims->sub == "alice");
  CHECK(c.claims->name == "Alice");
  CHECK(c.claims->exp == 2000);
}

TEST_CASE("refused tokens say why") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  auto t = sign_token({UserRole::agent, "alice", "Alice", 2000}, secret);
  CHECK(verify_token(t, secret, 2000 + kClockLeewayS).error == "expired_token");
  CHECK(verify_token(t, secret, 2000 + kClockLeewayS - 1).claims);  // clocks may disagree a little
  CHECK(verify_token(t, "other", 1000).error == "bad_signature");
  CHECK(verify_token("abc", secret, 1000).error == "bad_token");
  CHECK(verify_token("a.b.c.d", secret, 1000).error == "bad_token");
  auto tampered = t;
  tampered[tampered.find('.') + 3] ^= 1;
  CHECK_FALSE(verify_token(tampered, secret, 1000).claims);
  const std::string head = base64url_encode(R"({"alg":"none"})");
  const std::string body = base64url_encode(R"({"role":"admin","sub":"x","exp":9999999999})");
  CHECK(verify_token(head + "." + body + ".", secret, 1000).error == "bad_token");
  const std::string hs = base64url_encode(R"({"alg":"HS256"})");
  const std::string wizard = base64url_encode(R"({"role":"wizard","sub":"x","exp":9999999999})");
  // Sign a payload with an unknown role by hand: same HMAC as sign_token.
  auto real = sign_token({UserRole::admin, "x", "", 9999999999}, secret);
  CHECK(verify_token(hs + "." + wizard + "." + real.substr(real.rfind('.') + 1), secret, 1000).error == "bad_signature");
}

TEST_CASE("a token signed with an unknown role is refused as such") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  auto t = sign_parts(R"({"alg":"HS256"})", R"({"role":"wizard","sub":"x","exp":9999999999})", secret);
  CHECK(verify_token(t, secret, 1000).error == "unknown_role");
}

// Issue 16, finding 1: a header whose "alg" is not a string threw from nlohmann and killed the
// server; every odd shape of header and claims is now a refusal with a reason.
TEST_CASE("odd headers and claims are refused, never thrown") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  const std::string good = R"({"role":"agent","sub":"x","exp":9999999999})";
  for (const char* header : {R"({"alg":1})", R"({"alg":null})", R"({"alg":["HS256"]})", R"({"alg":{}})", R"([])", R"("HS256")",
                             R"({"alg":"HS256","alg":"none"})", R"({"alg":"none","alg":"HS256"})"}) {
    CAPTURE(header);
    auto check = verify_token(sign_parts(header, good, secret), secret, 1000);
    CHECK(check.error == "bad_token");
    CHECK_FALSE(check.message.empty());
  }
  CHECK(verify_token("eyJhbGciOjF9.e30.AAAA", secret, 1000).error == "bad_token");
  for (const char* payload : {R"({"role":1,"sub":"x","exp":9999999999})", R"({"role":"agent","sub":null,"exp":9999999999})",
                              R"({"role":"agent","sub":"x","name":7,"exp":9999999999})", R"({"role":"agent","sub":"x","exp":"soon"})",
                              R"({"role":"agent","sub":"x","exp":9999999999,"nbf":"now"})",
                              R"({"role":"agent","sub":"x","sub":"y","exp":9999999999})", R"([1,2])", R"(null)"}) {
    CAPTURE(payload);
    CHECK(verify_token(sign_parts(R"({"alg":"HS256"})", payload, secret), secret, 1000).error == "bad_token");
  }
}

TEST_CASE("exp far in the future or past is clamped, not undefined; nbf is honoured with the leeway") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  const std::string hs = R"({"alg":"HS256"})";
  auto huge = verify_token(sign_parts(hs, R"({"role":"agent","sub":"x","exp":1e300})", secret), secret, 1000);
  REQUIRE(huge.claims);
  CHECK(huge.claims->exp == 1000000000000000);
  CHECK(verify_token(sign_parts(hs, R"({"role":"agent","sub":"x","exp":-1e300})", secret), secret, 1000).error == "expired_token");
  CHECK(verify_token(sign_parts(hs, R"({"role":"agent","sub":"x","exp":18446744073709551615})", secret), secret, 1000).claims);
  auto early = sign_token({UserRole::agent, "x", "", 9999999999, 5000}, secret);
  CHECK(verify_token(early, secret, 1000).error == "early_token");
  CHECK(verify_token(early, secret, 5000 - kClockLeewayS).claims);
}

TEST_CASE("a token over the size limit is refused before it is decoded") {
  const std::string secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
  auto t = sign_token({UserRole::agent, "x", std::string(200, 'n'), 9999999999}, secret);
  CHECK(verify_token(t, secret, 1000).claims);
  const std::string big = std::string(kMaxTokenBytes + 1, 'a');
  CHECK(verify_token(big, secret, 1000).error == "bad_token");
}

TEST_CASE("roles parse and print") {
  for (auto r : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin})
    CHECK(parse_user_role(to_string(r)) == r);
  CHECK_FALSE(parse_user_role("root"));
}
