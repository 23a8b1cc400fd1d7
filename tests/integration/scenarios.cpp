#include "scenarios.hpp"

#include <catch2/catch.hpp>

#include "support/frames.hpp"

namespace tact::test {

using gateway::UserRole;

KilledChat chat_killed_mid_flood(const std::string& dir, const std::vector<std::string>& args) {
  KilledChat out;
  ServerProcess server(dir, args);
  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent.recv_type("hello"));
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  customer.send(message_frame(kComplaint, "k0"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  out.conversation = ack->at("conversation");
  out.acked.insert(ack->at("id").get<std::string>());
  agent.send(message_frame("I see your order #4411 still has not arrived.", "a1", out.conversation));
  REQUIRE(agent.recv_type("ack"));
  for (int i = 1; i <= 200; ++i) customer.send(message_frame("Still waiting, message " + std::to_string(i), "k" + std::to_string(i)));
  while (out.acked.size() < 50) {
    auto a = customer.recv_type("ack");
    REQUIRE(a);
    out.acked.insert(a->at("id").get<std::string>());
  }
  server.kill9();
  while (auto f = customer.recv(std::chrono::milliseconds(500)))
    if (f->at("type") == "ack") out.acked.insert(f->at("id").get<std::string>());
  return out;
}

std::multiset<std::string> stored_ids_holding(unsigned short port, const std::string& conversation, const std::set<std::string>& acked) {
  auto r = http_request(port, "GET", "/api/conversations/" + conversation, token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(r.status == 200);
  std::multiset<std::string> stored;
  const auto transcript = json::parse(r.body);  // kept: a range-for over a temporary's member dangles
  for (const auto& m : transcript.at("messages")) stored.insert(m.at("id").get<std::string>());
  for (const auto& id : acked) CHECK(stored.count(id) == 1);
  CHECK(std::set<std::string>(stored.begin(), stored.end()).size() == stored.size());
  return stored;
}

}  // namespace tact::test
