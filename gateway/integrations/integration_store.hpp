#pragma once
// The chat platforms Tact is installed in (docs/integrations/): each integration's address and
// credentials, and the webhook deliveries already handled. Kept apart from the conversation Store
// (store/store.hpp): it is small, written by admins and webhooks, and read by `tact integrations`
// while the server runs. Thread-safe; every call is synchronous.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tact::gateway {

struct Integration {
  std::string name;      // [a-z0-9_-], 1..32: in the webhook URL and in the ids Tact gives its conversations
  std::string platform;  // "chatwoot"
  std::string url;       // the platform's base URL, e.g. https://chat.example.com
  std::int64_t account = 0;
  std::string webhook_secret;  // verifies the platform's webhooks
  std::string api_token;       // for calls back into the platform (private notes)
  bool notes = false;          // post the coach's suggestions as private notes
  std::int64_t created_at = 0;  // ms
};

// A secret as it may be shown: its length and last 4 characters, never more.
std::string masked(std::string_view secret);

// "" when `name` is a valid integration name, else what is wrong with it.
std::string check_integration_name(std::string_view name);
// "" when the integration can be stored (name, url, account, secrets), else what is wrong.
std::string check_integration(const Integration& i);

// As it may be shown (admin API, `tact integrations list`): the secrets masked, and the path
// of its webhook.
nlohmann::json public_view(const Integration& i);

// The token sub of a platform's agent, and how long such tokens may last.
std::string integration_agent_sub(const Integration& i, std::int64_t user);
// The integration a token sub was minted for ("chatwoot:support:agent:7" -> "support"), or "" for
// any other sub. Such a token is honoured only while its integration exists: removing an
// integration revokes every token of its agents.
std::string integration_of_agent_sub(std::string_view sub);
inline constexpr std::int64_t kMaxAgentTokenDays = 365;

enum class DeliveryClaim { fresh, seen };

class IntegrationStore {
 public:
  virtual ~IntegrationStore() = default;
  virtual std::optional<Integration> find(const std::string& name) = 0;
  virtual std::vector<Integration> list() = 0;  // by name
  // Adds or replaces it. False, with the reason in `error`, when it cannot be stored.
  virtual bool put(const Integration& i, std::string& error) = 0;
  virtual bool remove(const std::string& name) = 0;  // false: there was none
  // Records a webhook delivery id: `seen` when it was recorded before (a retry). Ids older than
  // a day are forgotten (a delivery that old is refused for its timestamp anyway).
  virtual DeliveryClaim claim_delivery(const std::string& integration, const std::string& delivery, std::int64_t now_ms) = 0;
  // Forgets a claimed delivery whose handling failed, so that the platform's retry is handled.
  virtual void release_delivery(const std::string& integration, const std::string& delivery) = 0;
};

// SQLite at DIR/integrations.db (mode 0600). Null, with the reason in `error`, when it cannot be opened.
std::unique_ptr<IntegrationStore> open_sqlite_integrations(const std::string& dir, std::string& error);

}  // namespace tact::gateway
