#include "rules/rules_ref.hpp"

#include <openssl/sha.h>

namespace tact::gateway {

std::string rules_version(const coach::RuleSet& rules) {
  const std::string text = rules.pack().source.dump();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  for (int i = 0; i < 6; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 15];
  }
  return rules.pack().name + "@" + hex;
}

}  // namespace tact::gateway
