// tact serve: the live gateway (docs/protocol.md).
#include <iostream>

#include "commands.hpp"
#include "server.hpp"

namespace tact::cli {
namespace {

const char* kUsage =
    "usage: tact serve [--listen 127.0.0.1:8080] [--threads N] [--data DIR] [--rules FILE]\n"
    "                  [--max-message 16384] [--static DIR] [--send-queue 1024] [--rate 200]\n"
    "                  [--health-every 2000] [--allowed-origin https://chat.example.com]...\n"
    "                  [--max-admin-body 1048576] [--max-rules 2000] [--max-pattern 2000]\n"
    "                  [--rules-memory 67108864] [--preview-limit 500] [--max-api-conversations 1000]\n"
    "                  [--frame-ancestors \"'self'\"] [--redact off|store|all] [--retain-days N] [--demo]\n"
    "--demo prints links with tokens for the demo pages (only when listening on loopback).\n"
    "--rules FILE seeds the first rule version when the data dir has none; later starts use the\n"
    "live version from the data dir (`tact rules publish|rollback` change it).\n"
    "--redact: who sees personal data redacted (default store: stored text, supervisors, transcripts;\n"
    "all: the live agent too; off: nobody). --retain-days N deletes conversations closed N days ago.\n";

bool number(const std::string& s, long long lo, long long hi, long long& out) {
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoll(s);
  return out >= lo && out <= hi;
}

}  // namespace

int serve_command(const Args& args) {
  gateway::ServerOptions o;
#ifdef TACT_WEB_WIDGET_DIR
  o.static_dir = TACT_WEB_WIDGET_DIR;
#endif
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--demo") {
      o.demo = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "tact serve: \"" << a << "\" needs a value\n" << kUsage;
      return 2;
    }
    const std::string& v = args[++i];
    long long n = 0;
    bool ok = true;
    if (a == "--listen") o.listen = v;
    else if (a == "--data") o.data_dir = v;
    else if (a == "--rules") o.rules_path = v;
    else if (a == "--static") o.static_dir = v;
    else if (a == "--threads") ok = number(v, 1, 256, n), o.threads = static_cast<int>(n);
    else if (a == "--max-message") ok = number(v, 64, 16 << 20, n), o.limits.max_message = static_cast<std::size_t>(n);
    else if (a == "--send-queue") ok = number(v, 1, 1 << 20, n), o.limits.send_queue = static_cast<std::size_t>(n);
    else if (a == "--rate") ok = number(v, 0, 1 << 24, n), o.limits.rate = static_cast<double>(n);
    else if (a == "--allowed-origin") o.limits.allowed_origins.push_back(v);
    else if (a == "--health-every") ok = number(v, 10, 3600000, n), o.health_every_ms = static_cast<int>(n);
    else if (a == "--max-admin-body") ok = number(v, 1024, 64 << 20, n), o.limits.max_admin_body = static_cast<std::size_t>(n);
    else if (a == "--max-rules") ok = number(v, 1, 100000, n), o.admin.compile.pack.max_rules = static_cast<std::size_t>(n);
    else if (a == "--max-pattern") ok = number(v, 16, 1 << 20, n), o.admin.compile.pack.max_pattern_bytes = static_cast<std::size_t>(n);
    else if (a == "--rules-memory") ok = number(v, 1 << 20, 4LL << 30, n), o.admin.compile.set_max_mem = n, o.admin.compile.programs_max_mem = n;
    else if (a == "--max-api-conversations") ok = number(v, 1, 10000000, n), o.max_api_conversations = static_cast<std::size_t>(n);
    else if (a == "--frame-ancestors") ok = !v.empty() && v.find_first_of(";,\r\n") == std::string::npos, o.frame_ancestors = v;
    else if (a == "--redact") {
      auto m = gateway::parse_redact_mode(v);
      if (!m) {
        std::cerr << "tact serve: --redact takes off, store or all, not \"" << v << "\"\n" << kUsage;
        return 2;
      }
      o.redact = *m;
    } else if (a == "--retain-days") ok = number(v, 0, 36500, n), o.retention.days = static_cast<int>(n);
    else if (a == "--preview-limit") ok = number(v, 0, 100000, n), o.admin.preview_messages = static_cast<std::size_t>(n);
    else {
      std::cerr << "tact serve: unknown argument \"" << a << "\"\n" << kUsage;
      return 2;
    }
    if (!ok) {
      std::cerr << "tact serve: bad value \"" << v << "\" for " << a << "\n" << kUsage;
      return 2;
    }
  }
  return gateway::run_server(o, std::cout, std::cerr);
}

}  // namespace tact::cli
