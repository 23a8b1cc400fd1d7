#include <catch2/catch.hpp>

#include "jwt.hpp"

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
  CHECK(verify_token(t, secret, 2000).error == "expired_token");
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

TEST_CASE("roles parse and print") {
  for (auto r : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin})
    CHECK(parse_user_role(to_string(r)) == r);
  CHECK_FALSE(parse_user_role("root"));
}
