// tact token: mints a token, as a host chat platform's backend would.
#include <chrono>
#include <iostream>

#include "commands.hpp"
#include "auth/jwt.hpp"
#include "auth/secret.hpp"

namespace tact::cli {
namespace {

const char* kUsage = "usage: tact token --role customer|agent|supervisor|admin --sub ID [--name NAME] [--ttl 8h] [--data DIR]\n";

// "90", "90s", "30m", "8h", "2d" -> seconds; -1 when malformed.
long long parse_ttl(const std::string& s) {
  if (s.empty()) return -1;
  long long unit = 1;
  std::string digits = s;
  switch (s.back()) {
    case 's': unit = 1; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    case 'd': unit = 86400; digits.pop_back(); break;
    default: break;
  }
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits) * unit;
}

}  // namespace

int token_command(const Args& args) {
  std::string role, sub, name, ttl = "8h", data = "./tact-data";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      std::cerr << "tact token: \"" << args[i] << "\" needs a value\n" << kUsage;
      return 2;
    }
    const std::string& a = args[i];
    const std::string& v = args[++i];
    if (a == "--role") role = v;
    else if (a == "--sub") sub = v;
    else if (a == "--name") name = v;
    else if (a == "--ttl") ttl = v;
    else if (a == "--data") data = v;
    else {
      std::cerr << "tact token: unknown argument \"" << a << "\"\n" << kUsage;
      return 2;
    }
  }
  auto parsed = gateway::parse_user_role(role);
  if (!parsed) {
    std::cerr << "tact token: --role must be customer, agent, supervisor or admin\n" << kUsage;
    return 2;
  }
  if (sub.empty() || sub.size() > 128) {
    std::cerr << "tact token: --sub must be 1 to 128 bytes\n" << kUsage;
    return 2;
  }
  const long long seconds = parse_ttl(ttl);
  if (seconds <= 0) {
    std::cerr << "tact token: --ttl wants a duration such as 90s, 30m, 8h or 2d\n" << kUsage;
    return 2;
  }
  auto secret = gateway::load_secret(data, std::cerr);
  if (!secret) return 1;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::cout << gateway::sign_token({*parsed, sub, name, now + seconds}, *secret) << "\n";
  return 0;
}

}  // namespace tact::cli
