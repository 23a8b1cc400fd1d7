#include "services.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

namespace tact::test {

namespace {

// Debian's server binaries: /usr/lib/postgresql/<major>/bin (the newest installed), or $TACT_PG_BIN.
std::string pg_bin() {
  if (const char* env = std::getenv("TACT_PG_BIN"); env && *env) return env;
  std::string best;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
    if (std::filesystem::exists(e.path() / "bin" / "initdb") && e.path().string() > best) best = e.path().string();
  return best.empty() ? "" : best + "/bin";
}

std::string temp_dir(const char* name) {
  std::string t = (std::filesystem::temp_directory_path() / (std::string(name) + "-XXXXXX")).string();
  if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
  return t;
}

// Runs argv (as `nobody` when we are root), output to `log`; its exit status.
int run(std::vector<std::string> argv, const std::string& log, bool as_nobody) {
  if (as_nobody) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "nobody", "--"});
  // Built before fork(): no malloc between fork and exec in a process with other threads.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

bool is_root() { return geteuid() == 0; }

void give_to_nobody(const std::string& dir) {
  if (!is_root()) return;
  const passwd* pw = getpwnam("nobody");
  if (!pw || chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("cannot give " + dir + " to nobody");
}

bool exec_sql(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

}  // namespace

unsigned short free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("no free port");
  close(s);
  return ntohs(a.sin_port);
}

PostgresServer::PostgresServer() : dir_(temp_dir("tact-pg")) {
  const auto bin = pg_bin();
  if (bin.empty()) throw std::runtime_error("the PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup");
  give_to_nobody(dir_);
  const std::string log = dir_ + "/setup.log";
  if (run({bin + "/initdb", "-D", dir_ + "/data", "-A", "trust", "-U", "tact", "-E", "UTF8", "--no-sync"}, log,
          is_root()) != 0)
    throw std::runtime_error("initdb failed, see " + log);
  // A port free a moment ago may be taken before PostgreSQL binds it (see RedisServer): another is tried.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    // Tests kill tact, never PostgreSQL: its own fsync is not what they test.
    const std::string options = "-p " + std::to_string(port_) + " -k " + dir_ + " -c listen_addresses=127.0.0.1 -c fsync=off" +
                                " -c max_connections=200";
    if (run({bin + "/pg_ctl", "-D", dir_ + "/data", "-o", options, "-l", dir_ + "/server.log", "-w", "start"}, log,
            is_root()) == 0)
      return;
  }
  throw std::runtime_error("pg_ctl start failed on 5 free ports, see " + dir_ + "/server.log");
}

PostgresServer::~PostgresServer() {
  run({pg_bin() + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, dir_ + "/setup.log", is_root());
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://tact@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

int PostgresServer::pid() const {
  std::ifstream in(dir_ + "/data/postmaster.pid");
  int pid = -1;
  in >> pid;
  return pid;
}

std::string PostgresServer::new_database() {
  const std::string name = "t" + std::to_string(++databases_);
  if (!exec_sql(url("postgres"), "CREATE DATABASE " + name)) throw std::runtime_error("CREATE DATABASE " + name + " failed");
  return url(name);
}

PostgresServer& shared_postgres() {
  static PostgresServer server;
  return server;
}

// A port free a moment ago may be taken before redis-server binds it (a tact node of a test
// running beside this one listens on port 0 too): then redis-server exits, and another port is tried.
RedisServer::RedisServer() : dir_(temp_dir("tact-redis")) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    if (launch()) return;
  }
  throw std::runtime_error("redis-server did not start on any of 5 free ports, see " + dir_ + "/redis.log");
}

RedisServer::~RedisServer() {
  if (pid_ > 0) kill9();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void RedisServer::start() {
  if (!launch()) throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) + ", see " + dir_ + "/redis.log");
}

bool RedisServer::launch() {
  if (access("/usr/bin/redis-server", X_OK) != 0) throw std::runtime_error("redis-server is not installed: run scripts/setup");
  // Built before fork(): no malloc between fork and exec in a process with other threads.
  const std::string log = dir_ + "/redis.log", port = std::to_string(port_);
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execl("/usr/bin/redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--dir", dir_.c_str(),
          "--save", "", "--appendonly", "no", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Ready when our redis-server answers PING on the port; not ready if it exited (the port was
  // taken), whatever else may be listening there.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port_);
    timeval tv{1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    bool pong = false;
    if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && write(s, "PING\r\n", 6) == 6) {
      char buf[16] = {};
      pong = read(s, buf, sizeof buf - 1) >= 5 && std::string(buf).rfind("+PONG", 0) == 0;
    }
    close(s);
    if (pong) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill9();
  return false;
}

void RedisServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace tact::test
