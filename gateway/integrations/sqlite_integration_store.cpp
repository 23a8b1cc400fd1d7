// IntegrationStore in SQLite: its own small file beside tact.db, one connection under a mutex.
// Writes are rare (an admin's change, one row per webhook delivery), so each commits at once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "integrations/integration_store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace tact::gateway {
namespace {

constexpr std::int64_t kForgetDeliveriesMs = 24LL * 3600 * 1000;

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA busy_timeout=5000;
CREATE TABLE IF NOT EXISTS integrations(
  name TEXT PRIMARY KEY, platform TEXT NOT NULL, url TEXT NOT NULL, account INTEGER NOT NULL,
  webhook_secret TEXT NOT NULL, api_token TEXT NOT NULL, notes INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries(
  integration TEXT NOT NULL, delivery TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(integration, delivery)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deliveries_by_time ON deliveries(at);
)sql";

Integration row(const Statement& s) {
  return {s.text(0), s.text(1), s.text(2), s.integer(3), s.text(4), s.text(5), s.integer(6) != 0, s.integer(7)};
}

class SqliteIntegrationStore final : public IntegrationStore {
 public:
  bool open(const std::string& dir, std::string& error) {
    const std::string path = dir + "/integrations.db";
    // Secrets live here: readable by the owner only (the -wal and -shm files take this mode).
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      error = "cannot open " + path + ": " + std::strerror(errno);
      return false;
    }
    ::close(fd);
    if (!db_.open(path) || !db_.exec(kSchema)) {
      error = "cannot open " + path + ": " + db_.error();
      return false;
    }
    return true;
  }

  std::optional<Integration> find(const std::string& name) override {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("SELECT name, platform, url, account, webhook_secret, api_token, notes, created_at FROM integrations WHERE name=?");
    s.bind(1, name);
    if (s.step() != SQLITE_ROW) return std::nullopt;
    return row(s);
  }

  std::vector<Integration> list() override {
    std::lock_guard lock(mutex_);
    std::vector<Integration> out;
    auto s = db_.prepare("SELECT name, platform, url, account, webhook_secret, api_token, notes, created_at FROM integrations ORDER BY name");
    while (s.step() == SQLITE_ROW) out.push_back(row(s));
    return out;
  }

  bool put(const Integration& i, std::string& error) override {
    if (error = check_integration(i); !error.empty()) return false;
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("INSERT OR REPLACE INTO integrations VALUES(?,?,?,?,?,?,?,?)");
    s.bind(1, i.name).bind(2, i.platform).bind(3, i.url).bind(4, i.account).bind(5, i.webhook_secret).bind(6, i.api_token);
    s.bind(7, std::int64_t{i.notes ? 1 : 0}).bind(8, i.created_at);
    if (s.step() != SQLITE_DONE) {
      error = "cannot store the integration: " + db_.error();
      return false;
    }
    return true;
  }

  bool remove(const std::string& name) override {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("DELETE FROM integrations WHERE name=?");
    s.bind(1, name);
    if (s.step() != SQLITE_DONE) return false;
    const bool removed = sqlite3_changes(db_.handle()) > 0;
    auto d = db_.prepare("DELETE FROM deliveries WHERE integration=?");
    d.bind(1, name);
    d.step();
    return removed;
  }

  DeliveryClaim claim_delivery(const std::string& integration, const std::string& delivery, std::int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    if (++claims_ % 256 == 0) {
      auto old = db_.prepare("DELETE FROM deliveries WHERE at < ?");
      old.bind(1, now_ms - kForgetDeliveriesMs);
      old.step();
    }
    auto s = db_.prepare("INSERT OR IGNORE INTO deliveries VALUES(?,?,?)");
    s.bind(1, integration).bind(2, delivery).bind(3, now_ms);
    s.step();
    return sqlite3_changes(db_.handle()) == 1 ? DeliveryClaim::fresh : DeliveryClaim::seen;
  }

  void release_delivery(const std::string& integration, const std::string& delivery) override {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("DELETE FROM deliveries WHERE integration=? AND delivery=?");
    s.bind(1, integration).bind(2, delivery);
    s.step();
  }

 private:
  std::mutex mutex_;
  Database db_;
  std::uint64_t claims_ = 0;
};

}  // namespace

std::unique_ptr<IntegrationStore> open_sqlite_integrations(const std::string& dir, std::string& error) {
  auto store = std::make_unique<SqliteIntegrationStore>();
  if (!store->open(dir, error)) return nullptr;
  return store;
}

}  // namespace tact::gateway
