// What an integration must be before it is stored, and how its secrets may be shown.
#include "integrations/integration_store.hpp"

namespace tact::gateway {

std::string masked(std::string_view secret) {
  if (secret.size() < 12) return std::string(secret.size(), '*');
  return std::string(8, '*') + std::string(secret.substr(secret.size() - 4)) + " (" + std::to_string(secret.size()) + " characters)";
}

nlohmann::json public_view(const Integration& i) {
  return nlohmann::json{{"name", i.name},
                        {"platform", i.platform},
                        {"url", i.url},
                        {"account", i.account},
                        {"webhook_secret", masked(i.webhook_secret)},
                        {"api_token", i.api_token.empty() ? "" : masked(i.api_token)},
                        {"notes", i.notes},
                        {"created_at", i.created_at},
                        {"webhook_path", "/integrations/" + i.platform + "/" + i.name + "/webhook"}};
}

std::string integration_agent_sub(const Integration& i, std::int64_t user) {
  return i.platform + ":" + i.name + ":agent:" + std::to_string(user);
}

std::string integration_of_agent_sub(std::string_view sub) {
  constexpr std::string_view platform = "chatwoot:", agent = ":agent:";
  if (!sub.starts_with(platform)) return {};
  sub.remove_prefix(platform.size());
  const auto at = sub.find(agent);
  return at == std::string_view::npos ? std::string() : std::string(sub.substr(0, at));
}

std::string check_integration_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string_view::npos)
    return "an integration's name is 1 to 32 of a-z, 0-9, _ and - (it is part of the webhook URL), e.g. \"support\"";
  return {};
}

std::string check_integration(const Integration& i) {
  if (auto e = check_integration_name(i.name); !e.empty()) return e;
  if (i.platform != "chatwoot") return "the platform must be \"chatwoot\" (the only one Tact integrates with today)";
  const bool http = i.url.starts_with("http://"), https = i.url.starts_with("https://");
  if ((!http && !https) || i.url.size() > 256 || i.url.find_first_of(" \t\r\n\"'<>?#") != std::string::npos ||
      i.url.size() <= (https ? 8u : 7u))
    return "the URL must be the platform's base URL, http(s)://host[:port][/path], e.g. https://chat.example.com";
  if (i.account <= 0) return "the account id must be a positive integer (Chatwoot shows it in the URL: /app/accounts/ID/...)";
  if (i.webhook_secret.size() < 16 || i.webhook_secret.size() > 256)
    return "the webhook secret must be 16 to 256 characters: the one Chatwoot shows for the webhook";
  if (i.api_token.size() > 256 || i.api_token.find_first_of("\r\n") != std::string::npos)
    return "the API token must be at most 256 characters on one line";
  if (i.notes && i.api_token.empty()) return "private notes need an API token (Chatwoot: Profile settings, Access token)";
  return {};
}

}  // namespace tact::gateway
