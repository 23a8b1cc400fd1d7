#include "http/data_requests.hpp"

#include <openssl/sha.h>

#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "obs/log.hpp"

namespace tact::gateway {
using nlohmann::json;

std::string customer_hash(const std::string& sub) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(sub.data()), sub.size(), digest);
  std::string hex;
  for (int i = 0; i < 8; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 15];
  }
  return hex;
}

json to_json(const ErasureRecord& r) {
  return json{{"at", r.at}, {"who", r.who}, {"customer", r.customer}, {"conversations", r.conversations},
              {"messages", r.messages}, {"whispers", r.whispers}};
}

json export_customer(const CustomerData& data, const std::string& customer) {
  json conversations = json::array();
  for (const auto& c : data.conversations) {
    json messages = json::array(), whispers = json::array();
    for (const auto& m : data.messages) {
      if (m.conversation != c.id) continue;
      auto coach = json::parse(m.coach_json, nullptr, false);
      messages.push_back(json{{"id", m.id}, {"seq", m.seq}, {"role", m.role}, {"from", m.author_name}, {"author", m.author},
                              {"text", m.text}, {"at", m.at}, {"coach", coach.is_discarded() ? json(nullptr) : coach},
                              {"rules_version", m.rules_version}});
    }
    for (const auto& w : data.whispers)
      if (w.conversation == c.id)
        whispers.push_back(json{{"id", w.id}, {"from", w.author_name}, {"author", w.author}, {"text", w.text}, {"at", w.at}});
    json review = nullptr, rating = nullptr;
    for (const auto& r : data.reviews) {
      if (r.conversation != c.id) continue;
      if (auto parsed = json::parse(r.review_json, nullptr, false); parsed.is_object()) review = std::move(parsed);
      if (r.rating) rating = json{{"score", r.rating->score}, {"comment", r.rating->comment}, {"at", r.rating->at}};
    }
    conversations.push_back(json{{"id", c.id}, {"customer_name", c.customer_name}, {"agent", c.agent}, {"channel", c.channel},
                                 {"opened_at", c.opened_at}, {"closed_at", c.closed_at ? json(*c.closed_at) : json(nullptr)},
                                 {"messages", std::move(messages)}, {"whispers", std::move(whispers)},
                                 {"review", std::move(review)}, {"rating", std::move(rating)}});
  }
  return json{{"customer", customer}, {"conversations", std::move(conversations)}};
}


void customer_data(const RouteCall& c) {
  const auto& req = c.req;
  const auto& respond = c.respond;
  auto& ctx = c.ctx;
  if (!ctx.store) return respond(error_response(req, http::status::service_unavailable, "unavailable", "data requests are not available"));
  const Identity& who = *c.who;
  const auto sub = percent_decode(c.param);
  if (!sub || sub->empty() || sub->size() > 128 || sub->find('/') != std::string::npos)
    return respond(error_response(req, http::status::not_found, "not_found", "use /api/data/customers/{sub}: the customer's token sub, 1..128 bytes"));
  const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
  Store& store = *ctx.store;
  auto data = store.customer_data(*sub);
  if (data.conversations.empty())
    return respond(error_response(req, http::status::not_found, "not_found", "nothing is stored about this customer"));
  if (get) return respond(json_response(req, http::status::ok, export_customer(data, *sub)));
  // Open chats are closed first (everyone in them gets `closed`), so nothing new is written to them.
  for (const auto& conv : data.conversations)
    if (!conv.closed_at) ctx.relay.close_api(who, conv.id);
  Request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  ErasureRecord audit{ctx.now_ms(), who.sub, customer_hash(*sub), 0, 0, 0};
  store.erase_customer(*sub, audit, [head, respond](std::error_code ec, const ErasureRecord& done) {
    if (ec) return respond(error_response(head, http::status::service_unavailable, "store_failed", "the data could not be erased; try again"));
    log_event("data_erased", to_json(done));
    respond(json_response(head, http::status::ok, to_json(done)));
  });
}

}  // namespace tact::gateway
