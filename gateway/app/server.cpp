#include "app/server.hpp"

#include <chrono>
#include <csignal>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <malloc.h>
#include <sys/resource.h>

#include "obs/contained.hpp"
#include "obs/log.hpp"
#include "obs/memory_trim.hpp"
#include "obs/process_memory.hpp"
#include "auth/secret.hpp"
#include "integrations/chatwoot/receiver.hpp"
#include "net/listener.hpp"

namespace tact::gateway {
namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The server's running parts that need the io_context.
struct Runtime {
  IoPool& pool;
  net::thread_pool::executor_type background;
  Relay& relay;
  Hub& hub;
  Retention& retention;
  std::shared_ptr<listener> accept;
  net::steady_timer health_timer;
  net::steady_timer stop_timer;
  int health_every_ms;
  bool stopping = false;
  MemoryTrim trim;

  void tick() {
    health_timer.expires_after(std::chrono::milliseconds(health_every_ms));
    health_timer.async_wait([this](beast::error_code ec) {
      if (ec || stopping) return;
      net::post(background, [this] { contained("health_sweep", [this] { relay.tick(); }); });
      net::post(background, [this] { contained("retention", [this] { retention.tick(); }); });
      give_back_memory();
      tick();
    });
  }

  void give_back_memory() {
    const auto open = hub.peer_count();
    if (!trim.due(open)) return;
    const long before = rss_kib();
    malloc_trim(0);
    log_event("memory_returned", {{"connections", open}, {"rss_kib_before", before}, {"rss_kib_after", rss_kib()}});
  }

  void stop(int signal) {
    if (stopping) return;
    stopping = true;
    log_event("stopping", {{"signal", signal}});
    accept->stop();
    health_timer.cancel();
    for (const auto& p : hub.peers()) p->shutdown();
    wait_for_sessions(std::chrono::steady_clock::now() + std::chrono::seconds(3));
  }

  void wait_for_sessions(std::chrono::steady_clock::time_point deadline) {
    if (hub.peers().empty() || std::chrono::steady_clock::now() >= deadline) return pool.stop();
    stop_timer.expires_after(std::chrono::milliseconds(20));
    stop_timer.async_wait([this, deadline](beast::error_code) { wait_for_sessions(deadline); });
  }
};

// A full disk or a file size limit must fail the write (EFBIG), not kill the server; and many
// idle connections need more descriptors than the usual soft limit of 1024.
void harden_process() {
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
}

bool parse_listen(const std::string& s, net::ip::tcp::endpoint& ep) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  beast::error_code ec;
  auto addr = net::ip::make_address(s.substr(0, colon), ec);
  if (ec) return false;
  const std::string port = s.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  const int p = std::stoi(port);
  if (p > 65535) return false;
  ep = {addr, static_cast<unsigned short>(p)};
  return true;
}

void print_demo(std::ostream& out, const std::string& base, const std::string& secret) {
  auto token = [&](UserRole role, const char* sub, const char* name, int hours = 8) {
    return sign_token({role, sub, name, now_ms() / 1000 + hours * 3600}, secret);
  };
  const auto customer = token(UserRole::customer, "demo-customer", "Dana");
  const auto agent = token(UserRole::agent, "demo-agent", "Alex");
  const auto supervisor = token(UserRole::supervisor, "demo-supervisor", "Sam");
  out << "  demo (customer chat and agent console side by side):\n"
      << "                        " << base << "/?customer=" << customer << "&agent=" << agent << "&supervisor=" << supervisor << "\n"
      << "  agent panel:          " << base << "/agent.html?token=" << agent << "\n"
      << "  supervisor dashboard: " << base << "/supervisor.html?token=" << supervisor << "\n"
      << "  team insights:        " << base << "/insights.html?token=" << supervisor << "\n"
      << "  admin rule editor:    " << base << "/admin.html?token=" << token(UserRole::admin, "demo-admin", "Ada", 1) << "\n"
      << "  (tokens last 8 hours, the admin's 1 hour; `tact token --role agent --sub alice --name Alice` mints more)\n";
}

}  // namespace

int run_server(const ServerOptions& o, std::ostream& out, std::ostream& err) {
  net::ip::tcp::endpoint endpoint;
  if (!parse_listen(o.listen, endpoint)) {
    err << "tact serve: --listen wants ADDRESS:PORT, e.g. 127.0.0.1:8080, not \"" << o.listen << "\"\n";
    return 2;
  }
  StoreLocation location{StoreLocation::sqlite, o.data_dir};
  if (!o.store.empty()) {
    std::string bad;
    auto parsed = parse_store_location(o.store, bad);
    if (!parsed) {
      err << "tact serve: " << bad << "\n";
      return 2;
    }
    location = *parsed;
  }
  if (!o.bus.empty() && location.kind != StoreLocation::postgresql) {
    err << "tact serve: --bus makes this node one of several, which must share their store: add --store postgresql://…\n";
    return 2;
  }
  harden_process();
  if (!ensure_dir(o.data_dir, err)) return 1;
  auto secret = load_secret(o.data_dir, err);
  if (!secret) return 1;
  Metrics metrics;
  std::string error, note;
  auto store = open_store(location, &metrics, error);
  if (!store) {
    err << "tact serve: " << error << "\n";
    return 1;
  }
  // The live rule version from the store, or --rules (or the built-in pack) as version 1.
  auto admin = RuleAdmin::open(*store, o.rules_path, o.admin, now_ms, error, note);
  if (!admin) {
    err << "tact serve: " << error << "\n";
    return 2;
  }
  log_event("rules", {{"live", note}});
  if (!o.static_dir.empty()) admin->set_samples(load_preview_samples(o.static_dir + "/demo/samples.json"));
  auto integrations = open_sqlite_integrations(o.data_dir, error);
  if (!integrations) {
    err << "tact serve: " << error << "\n";
    return 1;
  }
  Hub hub;
  Relay relay(hub, *store, metrics, admin->live(), now_ms, RelayLimits{o.limits.max_message, o.max_api_conversations, 200, o.redact});
  if (o.redact != RedactMode::off && admin->live().set->redactor().empty())
    log_event("redact_empty", {{"mode", to_string(o.redact)}, {"why", "the live rule pack has no redact section: nothing is redacted"}});
  Retention retention(*store, o.retention, now_ms);
  admin->on_swap([&relay](const RulesRef& r) { relay.set_rules(r); });
  std::unique_ptr<Bus> bus;
  if (!o.bus.empty()) {
    bus = open_redis_bus(o.bus, BusOptions{o.lease_ms, o.node}, error);
    if (!bus) {
      err << "tact serve: " << error << "\n";
      return 1;
    }
    relay.join(*bus, [&admin] {
      std::string why;
      if (!admin->follow_store(why)) log_event("rules_follow_failed", {{"message", why}});
    });
    admin->on_change([&relay](std::int64_t version) { relay.announce_rules(version); });
  }
  if (!relay.recover(error)) {
    err << "tact serve: cannot rebuild the open conversations: " << error << "\n";
    return 1;
  }
  if (o.check_only) {
    out << "tact serve: the configuration is good (store " << location.describe() << ", rules " << note << ", "
        << relay.open_count() << " open conversations)\n";
    return 0;
  }
  const int threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  {
    IoPool pool(threads);
    auto& ioc = pool.main();
    net::thread_pool background(1);
    ServerContext ctx{relay, metrics, RouteContext{relay, metrics, *secret, o.static_dir, now_ms, admin.get(), o.frame_ancestors},
                      o.limits, background.get_executor()};
    ctx.routes.store = store.get();
    chatwoot::NotePoster notes(metrics, o.notes, now_ms);
    chatwoot::Receiver chatwoot(relay, *integrations, &notes, metrics, now_ms);
    ctx.routes.integrations = integrations.get();
    ctx.routes.chatwoot = &chatwoot;
    auto accept = std::make_shared<listener>(pool, ctx);
    if (!accept->open(endpoint, error)) {
      err << "tact serve: cannot listen on " << o.listen << ": " << error << "\n";
      return 1;
    }
    const auto ep = accept->local_endpoint();
    const std::string base = "http://" + ep.address().to_string() + ":" + std::to_string(ep.port());
    out << "tact serve: listening on " << base << " (" << threads << " threads, store " << location.describe() << ", rules "
        << note << ", " << relay.open_count() << " open conversations";
    if (bus) out << ", node " << bus->node() << " of a cluster";
    out << ")\n";
    if (o.demo && ep.address().is_loopback()) print_demo(out, base, *secret);
    else if (o.demo) out << "  --demo links are printed only when listening on a loopback address\n";
    out.flush();
    log_event("listening", {{"url", base}, {"threads", threads}});

    Runtime rt{pool, background.get_executor(), relay, hub, retention, accept, net::steady_timer(ioc), net::steady_timer(ioc), o.health_every_ms};
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&rt](beast::error_code ec, int sig) {
      if (!ec) rt.stop(sig);
    });
    accept->run();
    rt.tick();
    net::post(background, [&retention] { contained("retention", [&retention] { retention.tick(); }); });
    pool.run();
    background.join();
    if (bus) bus->stop();  // its threads call the relay
    store->flush();
  }
  admin.reset();
  store.reset();
  log_event("stopped");
  return 0;
}

}  // namespace tact::gateway
