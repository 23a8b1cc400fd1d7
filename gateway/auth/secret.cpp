#include "auth/secret.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

namespace tact::gateway {

bool ensure_dir(const std::string& dir, std::ostream& err) {
  std::error_code ec;
  // A new data dir is its owner's alone (it holds the secret and the conversations).
  if (std::filesystem::create_directories(dir, ec) && !ec)
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) {
    err << "tact: cannot create data dir " << dir << ": " << ec.message() << "\n";
    return false;
  }
  return true;
}

std::optional<std::string> load_secret(const std::string& data_dir, std::ostream& err) {
  if (const char* env = std::getenv("TACT_SECRET"); env && *env) {
    const std::string secret(env);
    if (secret.size() >= kMinSecretBytes) return secret;
    err << "tact: TACT_SECRET has " << secret.size() << " bytes; a secret needs at least " << kMinSecretBytes
        << " (e.g. `openssl rand -hex 32`), or unset it to use DIR/secret\n";
    return std::nullopt;
  }
  if (!ensure_dir(data_dir, err)) return std::nullopt;
  const std::string path = data_dir + "/secret";
  std::ifstream in(path);
  if (in) {
    std::string s;
    std::getline(in, s);
    if (s.size() >= kMinSecretBytes) return s;
    err << "tact: " << path << " is too short to be a secret; remove it to make a new one\n";
    return std::nullopt;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    err << "tact: cannot get random bytes for a secret\n";
    return std::nullopt;
  }
  std::ostringstream hex;
  for (unsigned char b : bytes) hex << "0123456789abcdef"[b >> 4] << "0123456789abcdef"[b & 15];
  const std::string secret = hex.str();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return load_secret(data_dir, err);  // created by a concurrent start
    err << "tact: cannot create " << path << ": " << std::strerror(errno) << "\n";
    return std::nullopt;
  }
  const std::string line = secret + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) {
    err << "tact: cannot write " << path << "\n";
    return std::nullopt;
  }
  return secret;
}

}  // namespace tact::gateway
