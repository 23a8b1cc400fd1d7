// tact data export|erase --customer SUB [--data DIR]: a customer's data subject request, on a
// stopped server's data dir (a running server has the same as GET and DELETE
// /api/data/customers/{sub}; privacy/data_requests.hpp).
#include <chrono>
#include <iostream>
#include <limits>

#include "command_store.hpp"
#include "commands.hpp"
#include "json_io.hpp"
#include "pack_loader.hpp"
#include "http/data_requests.hpp"
#include "relay/redaction.hpp"
#include "relay/review_rows.hpp"
#include "rules/rules_ref.hpp"
#include "store/store.hpp"

namespace tact::cli {
namespace {

int usage() {
  std::cerr << "usage: tact data export --customer SUB [--data DIR]   everything stored about that customer, as JSON\n"
               "       tact data erase --customer SUB [--data DIR]    delete it; an audit line (without content) is kept\n"
               "       tact data redact [--data DIR]                 redact what was stored before redaction (or before the\n"
               "                                                    live rules' redact section had an entry), with the live rules\n"
               "SUB is the customer's token `sub`; DIR defaults to ./tact-data (stop the server first). Instead of\n"
               "--data DIR, --store LOCATION names the store as `tact serve --store` does (sqlite:DIR or\n"
               "postgresql://USER@HOST:PORT/DATABASE; stop every node first).\n";
  return 2;
}

// Reviews quote the messages: each is made again from its messages as redaction will leave them,
// and stored where that changed it (before rewrite_texts(), whose checkpoint then empties the WAL
// of the old versions too). `failed` holds a store error.
std::size_t review_again(gateway::Store& store, const coach::RuleSet& rules, std::error_code& failed) {
  std::size_t redone = 0;
  const auto version = gateway::rules_version(rules);
  for (const auto& r : store.reviews(0, std::numeric_limits<std::int64_t>::max())) {
    const auto review = gateway::review_stored(store, rules, r.conversation, r.closed_at,
                                               [&rules](std::string& text) { gateway::redact_stored(rules.redactor(), text, nullptr); });
    if (!review) continue;
    auto text = coach::dump(coach::review_json(*review));
    if (text == r.review_json) continue;
    ++redone;
    store.save_review({r.conversation, r.agent, r.closed_at, version, std::move(text), std::nullopt}, [&failed](std::error_code ec) {
      if (ec) failed = ec;
    });
  }
  store.flush();
  return redone;
}

// Data stored before redaction was on: every message and whisper through the live rules' redact
// section (the data dir's live version; the built-in rules when it has none).
int redact_existing(const std::string& dir, const std::string& store_at) {
  std::string error;
  auto store = open_command_store(dir, store_at, error);
  if (!store) {
    std::cerr << "tact data: " << error << "\n";
    return 1;
  }
  coach::RuleSetPtr rules;
  if (auto live = store->live_rules(); live) {
    if (auto v = store->rule_version(*live)) {
      auto compiled = coach::compile(nlohmann::json::parse(v->pack_json, nullptr, false));
      for (const auto& p : compiled.problems) std::cerr << "tact data: the live rules: " << p.to_string() << "\n";
      rules = compiled.rules;
    }
    if (!rules) {
      std::cerr << "tact data: the live rule version " << *live << " of " << (store_at.empty() ? dir : "the store") << " does not compile\n";
      return 1;
    }
  } else {
    rules = load_rules("", std::cerr);
    if (!rules) return 1;
  }
  if (rules->redactor().empty()) {
    std::cerr << "tact data: the live rules have no redact section: nothing to redact with\n";
    return 1;
  }
  std::error_code result;
  const auto reviews = review_again(*store, *rules, result);
  if (result) {
    std::cerr << "tact data: the reviews could not be made again from the redacted messages: " << result.message() << "\n";
    return 1;
  }
  std::size_t changed = 0;
  store->rewrite_texts(
      [&rules](std::string& text, std::string* coach) { return gateway::redact_stored(rules->redactor(), text, coach); },
      [&](std::error_code ec, std::size_t n) {
        result = ec;
        changed = n;
      });
  store->flush();
  if (result) {
    std::cerr << "tact data: the stored texts could not be redacted: " << result.message() << "\n";
    return 1;
  }
  std::cout << nlohmann::json{{"redacted", changed}, {"reviews_redone", reviews}}.dump() << "\n";
  return 0;
}

}  // namespace

int data_command(const Args& args) {
  if (args.empty() || (args[0] != "export" && args[0] != "erase" && args[0] != "redact")) return usage();
  std::string customer, dir = "./tact-data", store_at;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      std::cerr << "tact data: \"" << args[i] << "\" needs a value\n";
      return usage();
    }
    if (args[i] == "--customer") customer = args[++i];
    else if (args[i] == "--data") dir = args[++i];
    else if (args[i] == "--store") store_at = args[++i];
    else {
      std::cerr << "tact data: unknown argument \"" << args[i] << "\"\n";
      return usage();
    }
  }
  if (args[0] == "redact") return redact_existing(dir, store_at);
  if (customer.empty() || customer.size() > 128) {
    std::cerr << "tact data: --customer SUB is required (the customer's token sub, 1..128 bytes)\n";
    return 2;
  }
  std::string error;
  auto store = open_command_store(dir, store_at, error);
  if (!store) {
    std::cerr << "tact data: " << error << "\n";
    return 1;
  }
  const auto data = store->customer_data(customer);
  if (data.conversations.empty()) {
    std::cerr << "tact data: nothing is stored about customer \"" << customer << "\" in " << (store_at.empty() ? dir : "the store") << "\n";
    return 1;
  }
  if (args[0] == "export") {
    std::cout << gateway::export_customer(data, customer).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::error_code result;
  gateway::ErasureRecord done;
  store->erase_customer(customer, {now, "cli", gateway::customer_hash(customer), 0, 0, 0},
                        [&](std::error_code ec, const gateway::ErasureRecord& r) {
                          result = ec;
                          done = r;
                        });
  store->flush();
  if (result) {
    std::cerr << "tact data: the data could not be erased: " << result.message() << "\n";
    return 1;
  }
  std::cout << gateway::to_json(done).dump() << "\n";
  return 0;
}

}  // namespace tact::cli
