#pragma once
// For the tests: a PostgreSQL and a redis-server of their own, started in a temporary directory on
// a free port and stopped (with the directory removed) by the destructor. Nothing needs a system
// service. As root, PostgreSQL runs as `nobody` (initdb and postgres refuse root), through
// runuser. Each throws std::runtime_error, saying what is missing, when it cannot start.
#include <string>

namespace tact::test {

// A free TCP port on 127.0.0.1 (bound and released: another process could take it meanwhile).
unsigned short free_port();

class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  unsigned short port() const { return port_; }
  // A new, empty database on it, as a postgresql:// URL.
  std::string new_database();
  std::string url(const std::string& database) const;
  // The postmaster's pid (its backends are its children): for CPU accounting in bench_load.
  int pid() const;

 private:
  std::string dir_;
  unsigned short port_ = 0;
  int databases_ = 0;
};

// One PostgreSQL for a whole test program (initdb takes a second or two), started on first use.
PostgresServer& shared_postgres();

class RedisServer {
 public:
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  void kill9();
  void start();  // again, on the same port, after kill9
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }

 private:
  bool launch();  // false when redis-server exited (its port was taken) or never answered PING
  std::string dir_;
  unsigned short port_ = 0;
  int pid_ = -1;
};

}  // namespace tact::test
