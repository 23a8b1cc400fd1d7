#pragma once
// Data subject requests (docs/protocol.md, "Privacy"): everything stored about one customer, as
// JSON, and its erasure. A customer is found by their token's `sub` (the live chats they opened
// over /ws; API conversations belong to the host platform, which keeps its own customer ids).
//
// Two ways in: `tact data export|erase --customer SUB --data DIR` on a stopped server's data dir,
// and the admin routes GET and DELETE /api/data/customers/{sub} (admin tokens only, like
// /api/rules). An erasure first closes the customer's open chats, then deletes their
// conversations, messages, coach output and whispers in one transaction, and writes an audit line
// (when, who, sha256 of the sub, counts): never the content.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/routes.hpp"
#include "store/store.hpp"

namespace tact::gateway {

// {"customer","conversations":[{"id","customer_name","agent","channel","opened_at","closed_at",
//  "messages":[{"id","seq","role","from","author","text","at","coach","rules_version"}],"whispers":[...],
//  "review": the stored review or null, "rating":{"score","comment","at"} or null}]}
nlohmann::json export_customer(const CustomerData& data, const std::string& customer);

// The first 16 hex of the SHA-256 of a customer's sub: names the request in the audit.
std::string customer_hash(const std::string& sub);

// {"customer": hash, "conversations", "messages", "whispers", "at", "who"}
nlohmann::json to_json(const ErasureRecord& r);

// GET (export) and DELETE (erase) /api/data/customers/{sub}: the route table lets admins only in.
struct RouteCall;
void customer_data(const RouteCall& c);

}  // namespace tact::gateway
