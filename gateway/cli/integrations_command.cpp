// tact integrations add|list|remove|token: the chat platforms Tact is installed in
// (docs/integrations/), on the data dir. A running server reads them at each webhook, so a
// change applies at once, without a restart. Secrets are shown masked, never in full.
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>

#include "auth/jwt.hpp"
#include "auth/secret.hpp"
#include "commands.hpp"
#include "integrations/integration_store.hpp"

namespace tact::cli {
namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<gateway::IntegrationStore> open_store(const std::string& dir) {
  if (!gateway::ensure_dir(dir, std::cerr)) return nullptr;
  std::string error;
  auto store = gateway::open_sqlite_integrations(dir, error);
  if (!store) std::cerr << "tact integrations: " << error << "\n";
  return store;
}

}  // namespace

int integrations_command(const Args& args) {
  CLI::App app{"tact integrations: the chat platforms Tact is installed in (docs/integrations/)", "tact integrations"};
  app.require_subcommand(1);
  app.fallthrough();  // --data after the subcommand's own arguments
  std::string data = "./tact-data";
  app.add_option("--data", data, "the data dir (the server's --data)")->envname("TACT_DATA")->capture_default_str();

  auto* add = app.add_subcommand("add", "add (or change) an integration: add chatwoot NAME --url URL --account ID --webhook-secret S");
  std::string platform, name, url, secret, api_token;
  std::int64_t account = 0;
  bool notes = false;
  add->add_option("platform", platform, "the platform: chatwoot")->required()->check(CLI::IsMember({"chatwoot"}));
  add->add_option("name", name, "the integration's name (a-z, 0-9, _, -): part of its webhook URL")->required();
  add->add_option("--url", url, "the platform's base URL, e.g. https://chat.example.com")->required();
  add->add_option("--account", account, "the Chatwoot account id (in its URLs: /app/accounts/ID/...)")->required();
  add->add_option("--webhook-secret", secret, "the webhook's secret, as Chatwoot shows it")->envname("TACT_WEBHOOK_SECRET")->required();
  add->add_option("--api-token", api_token, "an access token for Chatwoot's API (for private notes)")->envname("TACT_API_TOKEN");
  add->add_flag("--notes", notes, "post the coach's suggestions into each conversation as private notes");

  auto* list = app.add_subcommand("list", "the integrations, secrets masked");
  bool as_json = false;
  list->add_flag("--json", as_json, "as JSON");

  auto* remove = app.add_subcommand("remove", "remove an integration: remove NAME");
  remove->add_option("name", name, "its name")->required();

  auto* token = app.add_subcommand("token", "a token for one of the platform's agents: token NAME --agent ID [--name N]");
  std::int64_t agent = 0, days = 30;
  std::string agent_name;
  token->add_option("name", name, "the integration's name")->required();
  token->add_option("--agent", agent, "the agent's user id in the platform (Chatwoot: Settings, Agents)")->required()->check(CLI::PositiveNumber);
  token->add_option("--name", agent_name, "the agent's name, as the panel shows it");
  token->add_option("--ttl-days", days, "days the token is valid")->capture_default_str()->check(CLI::Range(std::int64_t{1}, gateway::kMaxAgentTokenDays));

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? 0 : 2;
  }
  auto store = open_store(data);
  if (!store) return 1;

  if (add->parsed()) {
    gateway::Integration i;
    if (auto existing = store->find(name)) i = *existing;
    else i.created_at = now_ms();
    i.name = name;
    i.platform = platform;
    i.url = url;
    i.account = account;
    i.webhook_secret = secret;
    if (!api_token.empty()) i.api_token = api_token;
    i.notes = notes;
    std::string error;
    if (!store->put(i, error)) {
      std::cerr << "tact integrations add: " << error << "\n";
      return 2;
    }
    const auto view = gateway::public_view(i);
    std::cout << "integration \"" << i.name << "\" (" << i.platform << ", account " << i.account << ") stored in " << data << "\n"
              << "  webhook URL (Chatwoot: Settings, Integrations, Webhooks): https://YOUR-TACT-HOST"
              << view["webhook_path"].get<std::string>() << "\n"
              << "  private notes: " << (i.notes ? "on" : "off") << "\n";
    return 0;
  }
  if (list->parsed()) {
    auto all = store->list();
    if (as_json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& i : all) out.push_back(gateway::public_view(i));
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    if (all.empty()) std::cout << "no integrations (tact integrations add chatwoot NAME --url URL --account ID --webhook-secret S)\n";
    for (const auto& i : all)
      std::cout << i.name << "\t" << i.platform << "\t" << i.url << "\taccount " << i.account << "\tsecret "
                << gateway::masked(i.webhook_secret) << "\tnotes " << (i.notes ? "on" : "off") << "\n";
    return 0;
  }
  if (remove->parsed()) {
    if (!store->remove(name)) {
      std::cerr << "tact integrations remove: no integration \"" << name << "\" in " << data << "\n";
      return 1;
    }
    std::cout << "removed \"" << name << "\"\n";
    return 0;
  }
  // token
  auto integration = store->find(name);
  if (!integration) {
    std::cerr << "tact integrations token: no integration \"" << name << "\" in " << data << "\n";
    return 1;
  }
  auto key = gateway::load_secret(data, std::cerr);
  if (!key) return 1;
  const auto sub = gateway::integration_agent_sub(*integration, agent);
  std::cout << gateway::sign_token({gateway::UserRole::agent, sub, agent_name, now_ms() / 1000 + days * 86400}, *key) << "\n";
  return 0;
}

}  // namespace tact::cli
