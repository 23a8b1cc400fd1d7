#include "rules/rule_admin.hpp"

#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include "annotator.hpp"
#include "conversation.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "rules/pack_source.hpp"
#include "rule_examples.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

AdminAnswer error(int status, const std::string& code, const std::string& message, json extra = json::object()) {
  extra["error"] = code;
  extra["message"] = message;
  return {status, std::move(extra)};
}

json problems_json(const std::vector<coach::Problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) out.push_back(p);
  return out;
}

json examples_json(const std::vector<coach::ExampleResult>& results) {
  json out = json::array();
  for (const auto& r : results)
    out.push_back(json{{"rule", r.rule_id}, {"text", r.text}, {"must_match", r.must_match}, {"passed", r.passed}});
  return out;
}

std::vector<coach::ExampleResult> failures(const std::vector<coach::ExampleResult>& results) {
  std::vector<coach::ExampleResult> out;
  for (const auto& r : results)
    if (!r.passed) out.push_back(r);
  return out;
}

std::string plural(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

}  // namespace

json version_json(const RuleVersionRecord& v, std::int64_t live_version, bool with_pack) {
  json j{{"version", v.version},   {"rules_version", v.rules_version}, {"author", v.author},
         {"author_name", v.author_name}, {"at", v.at},            {"message", v.message},
         {"parent", v.parent ? json(*v.parent) : json(nullptr)}, {"live", v.version == live_version}};
  if (with_pack) {
    auto pack = json::parse(v.pack_json, nullptr, false);
    j["pack"] = pack.is_discarded() ? json(nullptr) : pack;
  }
  return j;
}

json audit_json(const RuleAuditRecord& a) {
  return json{{"at", a.at},           {"who", a.who},         {"who_name", a.who_name}, {"action", a.action},
              {"version", a.version}, {"from_version", a.from_version ? json(*a.from_version) : json(nullptr)},
              {"message", a.message}};
}

std::vector<PreviewConversation> load_preview_samples(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  auto j = json::parse(s.str(), nullptr, false);
  std::vector<PreviewConversation> out;
  if (!j.is_object() || !j.contains("samples") || !j.at("samples").is_array()) return out;
  for (const auto& sample : j.at("samples")) {
    if (!sample.is_object() || !sample.contains("turns") || !sample.at("turns").is_array()) continue;
    PreviewConversation c{"sample", sample.value("id", "sample-" + std::to_string(out.size() + 1)), {}};
    for (const auto& t : sample.at("turns")) {
      if (!t.is_object() || !t.contains("role") || !t.contains("text") || !t.at("text").is_string() || !t.at("role").is_string()) continue;
      auto role = coach::parse_role(t.at("role").get<std::string>());
      if (!role) continue;
      const auto n = static_cast<std::int64_t>(c.messages.size()) + 1;
      c.messages.push_back({c.id + "-" + std::to_string(n), *role, t.at("text").get<std::string>(), n * 60000});
    }
    if (!c.messages.empty()) out.push_back(std::move(c));
  }
  return out;
}

std::unique_ptr<RuleAdmin> RuleAdmin::open(Store& store, const std::string& seed_path, AdminLimits limits, Clock now,
                                           std::string& error, std::string& note) {
  std::unique_ptr<RuleAdmin> admin(new RuleAdmin(store, std::move(limits), std::move(now)));
  if (auto live = store.live_rules()) {
    auto v = store.rule_version(*live);
    if (!v) {
      error = "the live rule version " + std::to_string(*live) + " is missing from the store";
      return nullptr;
    }
    auto pack = json::parse(v->pack_json, nullptr, false);
    auto result = coach::compile(pack, admin->limits_.compile);
    if (!result.rules) {
      error = "the live rule version " + std::to_string(*live) + " no longer compiles";
      for (const auto& p : result.problems) error += "\n  " + p.to_string();
      error += "\n  roll back with `tact rules rollback V --data DIR`";
      return nullptr;
    }
    admin->live_ = {result.rules, rules_version(*result.rules)};
    admin->live_version_ = *live;
    note = "rule version " + std::to_string(*live) + " (" + admin->live_.version + ") from the store";
    if (!seed_path.empty()) note += "; --rules " + seed_path + " only seeds an empty store";
    return admin;
  }
  std::string text;
  if (seed_path.empty()) {
    text = std::string(default_pack_text());
  } else {
    std::ostringstream err;
    auto t = read_file(seed_path, err);
    if (!t) {
      error = err.str();
      return nullptr;
    }
    text = std::move(*t);
  }
  const std::string name = seed_path.empty() ? "the built-in default rules" : seed_path;
  auto pack = json::parse(text, nullptr, false);
  if (pack.is_discarded()) {
    error = name + " is not valid JSON";
    return nullptr;
  }
  auto result = coach::compile(pack, admin->limits_.compile);
  if (!result.rules) {
    error = name + " was refused (" + plural(result.problems.size(), "problem") + "):";
    for (const auto& p : result.problems) error += "\n  " + p.to_string();
    return nullptr;
  }
  RulesRef ref{result.rules, rules_version(*result.rules)};
  const auto at = admin->now_();
  RuleVersionRecord rec{1, ref.version, coach::dump(pack), "tact", "tact serve", at, "seeded from " + name, std::nullopt};
  RuleAuditRecord audit{at, "tact", "tact serve", "seed", 1, std::nullopt, rec.message};
  if (!admin->write([&](StoreDone d) { store.add_rule_version(std::move(rec), std::move(audit), std::move(d)); })) {
    error = "cannot store the first rule version";
    return nullptr;
  }
  admin->live_ = std::move(ref);
  admin->live_version_ = 1;
  note = "rule version 1 (" + admin->live_.version + "), seeded from " + name;
  return admin;
}

RulesRef RuleAdmin::live() const {
  std::lock_guard lock(live_mutex_);
  return live_;
}

std::int64_t RuleAdmin::live_version() const {
  std::lock_guard lock(live_mutex_);
  return live_version_;
}

bool RuleAdmin::write(const std::function<void(StoreDone)>& start) {
  auto done = std::make_shared<std::promise<std::error_code>>();
  auto result = done->get_future();
  start([done](std::error_code ec) { done->set_value(ec); });
  return !result.get();
}

void RuleAdmin::make_live(std::int64_t version, RulesRef rules) {
  {
    std::lock_guard lock(live_mutex_);
    live_ = rules;
    live_version_ = version;
  }
  if (on_swap_) on_swap_(rules);
}

bool RuleAdmin::follow_store(std::string& error) {
  std::lock_guard lock(publish_mutex_);
  const auto live = store_.live_rules();
  if (!live || *live == live_version()) return true;
  auto v = store_.rule_version(*live);
  if (!v) {
    error = "the live rule version " + std::to_string(*live) + " is missing from the store";
    return false;
  }
  auto result = coach::compile(json::parse(v->pack_json, nullptr, false), limits_.compile);
  if (!result.rules) {
    error = "the live rule version " + std::to_string(*live) + " does not compile here";
    return false;
  }
  RulesRef ref{result.rules, rules_version(*result.rules)};
  make_live(*live, ref);
  log_event("rules_followed", {{"version", *live}, {"rules_version", ref.version}});
  return true;
}

AdminAnswer RuleAdmin::versions() const {
  const auto live = live_version();
  json out = json::array();
  for (const auto& v : store_.rule_versions(false)) out.push_back(version_json(v, live, false));
  return {200, json{{"live", live}, {"versions", std::move(out)}}};
}

AdminAnswer RuleAdmin::version(std::int64_t n) const {
  auto v = store_.rule_version(n);
  if (!v) return error(404, "not_found", "no rule version " + std::to_string(n));
  return {200, version_json(*v, live_version(), true)};
}

AdminAnswer RuleAdmin::live_answer() const { return version(live_version()); }

AdminAnswer RuleAdmin::audit() const {
  json out = json::array();
  for (const auto& a : store_.rule_audit()) out.push_back(audit_json(a));
  return {200, json{{"audit", std::move(out)}}};
}

AdminAnswer RuleAdmin::validate(const json& pack) const {
  auto result = coach::compile(pack, limits_.compile);
  json body{{"ok", result.rules != nullptr}, {"problems", problems_json(result.problems)}};
  if (result.rules) {
    body["rules_version"] = rules_version(*result.rules);
    body["rules"] = result.rules->rules().size();
    body["patterns"] = result.rules->pattern_count();
    json lint = json::array();
    for (const auto& f : coach::lint(*result.rules)) lint.push_back(json{{"rule", f.rule_id}, {"field", f.field}, {"message", f.message}});
    body["lint"] = std::move(lint);
  }
  return {200, std::move(body)};
}

AdminAnswer RuleAdmin::test(const json& pack, const json& texts) const {
  if (!texts.is_null() && !texts.is_array()) return error(400, "bad_field", "\"texts\" must be an array of {\"role\",\"text\"}");
  if (texts.is_array() && texts.size() > limits_.max_texts)
    return error(400, "bad_field", "at most " + std::to_string(limits_.max_texts) + " texts per test");
  struct Text {
    coach::Role role;
    std::string text;
  };
  std::vector<Text> extra;
  if (texts.is_array()) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const auto& t = texts[i];
      const std::string at = "texts[" + std::to_string(i) + "]";
      if (!t.is_object() || !t.contains("text") || !t.at("text").is_string())
        return error(400, "bad_field", at + " must be {\"role\",\"text\"} with a string text");
      auto role = t.contains("role") && t.at("role").is_string() ? coach::parse_role(t.at("role").get<std::string>()) : std::nullopt;
      if (!role) return error(400, "bad_field", at + ".role must be \"customer\" or \"agent\"");
      if (t.at("text").get_ref<const std::string&>().size() > limits_.max_text_bytes)
        return error(400, "bad_field", at + ".text is longer than " + std::to_string(limits_.max_text_bytes) + " bytes");
      extra.push_back({*role, t.at("text").get<std::string>()});
    }
  }
  auto result = coach::compile(pack, limits_.compile);
  json body{{"ok", false}, {"problems", problems_json(result.problems)}};
  if (!result.rules) return {200, std::move(body)};
  const auto examples = coach::run_examples(*result.rules);
  const auto failed = failures(examples).size();
  body["ok"] = failed == 0;
  body["rules_version"] = rules_version(*result.rules);
  body["examples"] = examples_json(examples);
  body["passed"] = examples.size() - failed;
  body["failed"] = failed;
  json out = json::array();
  for (const auto& t : extra) {
    json row = coach::annotate(*result.rules, t.role, t.text);
    row["role"] = coach::to_string(t.role);
    row["text"] = t.text;
    if (t.role == coach::Role::agent) row["flags"] = coach::Conversation().check_draft(*result.rules, t.text);
    out.push_back(std::move(row));
  }
  body["texts"] = std::move(out);
  return {200, std::move(body)};
}

AdminAnswer RuleAdmin::preview(const json& pack) const {
  auto result = coach::compile(pack, limits_.compile);
  if (!result.rules)
    return error(422, "invalid_pack", "the pack was refused (" + plural(result.problems.size(), "problem") + ")",
                 json{{"problems", problems_json(result.problems)}});
  const auto live = this->live();
  std::vector<PreviewConversation> conversations;
  std::map<std::string, std::size_t> index;  // stored conversation id -> position
  for (auto& m : store_.recent_messages(limits_.preview_messages)) {
    auto role = coach::parse_role(m.role);
    if (!role) continue;
    auto [it, fresh] = index.try_emplace(m.conversation, conversations.size());
    if (fresh) conversations.push_back({"stored", m.conversation, {}});
    conversations[it->second].messages.push_back({m.id, *role, std::move(m.text), m.at});
  }
  conversations.insert(conversations.end(), samples_.begin(), samples_.end());
  json body = preview_diff(*live.set, *result.rules, conversations);
  body["live_version"] = live_version();
  body["live_rules_version"] = live.version;
  body["draft_rules_version"] = rules_version(*result.rules);
  return {200, std::move(body)};
}

AdminAnswer RuleAdmin::publish(const Identity& who, const json& pack, const std::string& message, std::int64_t base_version) {
  if (message.empty() || message.size() > limits_.max_message_bytes)
    return error(400, "bad_field", "\"message\" must say what changed, in 1.." + std::to_string(limits_.max_message_bytes) + " bytes");
  auto result = coach::compile(pack, limits_.compile);
  if (!result.rules)
    return error(422, "invalid_pack", "the pack was refused (" + plural(result.problems.size(), "problem") + ")",
                 json{{"problems", problems_json(result.problems)}});
  const auto failed = failures(coach::run_examples(*result.rules));
  if (!failed.empty())
    return error(422, "examples_failed", plural(failed.size(), "example") + " failed; every example must pass before publishing",
                 json{{"failures", examples_json(failed)}});
  RulesRef ref{result.rules, rules_version(*result.rules)};
  std::lock_guard lock(publish_mutex_);
  const auto live = live_version();
  if (base_version != live)
    return error(409, "stale_base", "version " + std::to_string(live) + " was published after version " + std::to_string(base_version) +
                                        " that this change started from; reload, redo the change and publish again",
                 json{{"live_version", live}});
  if (ref.version == this->live().version)
    return error(422, "unchanged", "the pack is the same as the live version " + std::to_string(live), json{{"live_version", live}});
  std::int64_t next = 1;
  for (const auto& v : store_.rule_versions(false)) next = std::max(next, v.version + 1);
  const auto at = now_();
  RuleVersionRecord rec{next, ref.version, coach::dump(pack), who.sub, who.name, at, message, live};
  RuleAuditRecord audit{at, who.sub, who.name, "publish", next, live, message};
  if (!write([&](StoreDone d) { store_.add_rule_version(rec, std::move(audit), std::move(d)); }))
    return error(503, "store_failed", "the version could not be stored; nothing changed");
  make_live(next, ref);
  log_event("rules_published", {{"version", next}, {"rules_version", ref.version}, {"by", who.sub}});
  if (on_change_) on_change_(next);
  return {200, version_json(rec, next, false)};
}

AdminAnswer RuleAdmin::rollback(const Identity& who, std::int64_t version, std::optional<std::int64_t> base_version) {
  std::lock_guard lock(publish_mutex_);
  const auto live = live_version();
  if (base_version && *base_version != live)
    return error(409, "stale_base", "version " + std::to_string(live) + " is live now, not " + std::to_string(*base_version),
                 json{{"live_version", live}});
  auto v = store_.rule_version(version);
  if (!v) return error(404, "not_found", "no rule version " + std::to_string(version));
  if (version == live) return error(409, "already_live", "version " + std::to_string(version) + " is already live", json{{"live_version", live}});
  auto result = coach::compile(json::parse(v->pack_json, nullptr, false), limits_.compile);
  if (!result.rules)
    return error(422, "invalid_pack", "version " + std::to_string(version) + " no longer compiles",
                 json{{"problems", problems_json(result.problems)}});
  RulesRef ref{result.rules, rules_version(*result.rules)};
  const std::string message = "rollback to version " + std::to_string(version);
  RuleAuditRecord audit{now_(), who.sub, who.name, "rollback", version, live, message};
  if (!write([&](StoreDone d) { store_.set_live_rules(version, std::move(audit), std::move(d)); }))
    return error(503, "store_failed", "the rollback could not be stored; nothing changed");
  make_live(version, ref);
  log_event("rules_rolled_back", {{"version", version}, {"from", live}, {"by", who.sub}});
  if (on_change_) on_change_(version);
  return {200, version_json(*v, version, false)};
}

}  // namespace tact::gateway
