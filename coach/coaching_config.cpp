#include "coaching_config.hpp"

#include <algorithm>
#include <array>

#include "json_read.hpp"
#include "role.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> placeholders{"name", "order", "product", "problem"};

std::string at(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

void check_acts(JsonReader& r, Role role, const std::vector<std::string>& acts, const std::string& field) {
  for (std::size_t i = 0; i < acts.size(); ++i)
    if (!is_act_of(role, acts[i]))
      r.fail(at(field, i), "\"" + acts[i] + "\" is not a " + std::string(to_string(role)) + " act");
}

// Checks every {placeholder} of a template variant.
void check_placeholders(JsonReader& r, const std::string& text, const std::string& field) {
  std::size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string::npos) {
    const auto close = text.find('}', pos);
    if (close == std::string::npos) {
      r.fail(field, "has an unclosed '{' at position " + std::to_string(pos));
      return;
    }
    const auto name = text.substr(pos + 1, close - pos - 1);
    if (!is_known_placeholder(name))
      r.fail(field, "unknown placeholder {" + name + "}; use {name}, {order}, {product} or {problem}");
    pos = close + 1;
  }
}

const json& section(const json& pack, const char* key, JsonReader& r) {
  static const json empty = json::object();
  auto it = pack.find(key);
  if (it == pack.end()) return empty;
  if (!it->is_object()) {
    r.fail(key, std::string("must be an object, not ") + it->type_name());
    return empty;
  }
  return *it;
}

void parse_playbook(const json& pb, JsonReader& r, CoachingConfig& c) {
  c.opens_round = r.strings(pb, "opens_round", "playbook.opens_round", true);
  check_acts(r, Role::customer, c.opens_round, "playbook.opens_round");
  const auto steps = pb.find("steps");
  if (steps == pb.end() || !steps->is_array() || steps->empty()) {
    r.fail("playbook.steps", "must be a non-empty array of steps");
  } else {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const auto& s = (*steps)[i];
      const auto f = at("playbook.steps", i);
      if (!s.is_object()) {
        r.fail(f, "must be an object");
        continue;
      }
      PlaybookStep step;
      step.step = r.string(s, "step", f + ".step", true).value_or("");
      step.acts = r.strings(s, "acts", f + ".acts", true);
      step.spoiled_by = r.strings(s, "spoiled_by", f + ".spoiled_by", false);
      step.after = r.string(s, "after", f + ".after", false).value_or("");
      step.label = r.string(s, "label", f + ".label", true).value_or("");
      step.why = r.string(s, "why", f + ".why", true).value_or("");
      check_acts(r, Role::agent, step.acts, f + ".acts");
      check_acts(r, Role::agent, step.spoiled_by, f + ".spoiled_by");
      if (c.find_step(step.step)) r.fail(f + ".step", "step \"" + step.step + "\" appears twice");
      c.steps.push_back(std::move(step));
    }
  }
  c.settled_by = r.string(pb, "settled_by", "playbook.settled_by", false).value_or("");
  if (!c.settled_by.empty() && !c.find_step(c.settled_by))
    r.fail("playbook.settled_by", "\"" + c.settled_by + "\" is not a playbook step");
  for (std::size_t i = 0; i < c.steps.size(); ++i)
    if (!c.steps[i].after.empty() && !c.find_step(c.steps[i].after))
      r.fail(at("playbook.steps", i) + ".after", "\"" + c.steps[i].after + "\" is not a playbook step");
  if (auto it = pb.find("order"); it != pb.end() && it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& o = (*it)[i];
      const auto f = at("playbook.order", i);
      OrderRule rule{r.string(o, "first", f + ".first", true).value_or(""),
                     r.string(o, "then", f + ".then", true).value_or(""), r.string(o, "flag", f + ".flag", true).value_or("")};
      if (!c.find_step(rule.first)) r.fail(f + ".first", "\"" + rule.first + "\" is not a playbook step");
      if (!c.find_step(rule.then)) r.fail(f + ".then", "\"" + rule.then + "\" is not a playbook step");
      c.order.push_back(std::move(rule));
    }
  }
  if (auto it = pb.find("deadlines"); it != pb.end() && it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& d = (*it)[i];
      const auto f = at("playbook.deadlines", i);
      Deadline dl;
      dl.kind = r.string(d, "kind", f + ".kind", true).value_or("");
      dl.flag = r.string(d, "flag", f + ".flag", true).value_or("");
      if (dl.kind == "step") {
        dl.step = r.string(d, "step", f + ".step", true).value_or("");
        if (!c.find_step(dl.step)) r.fail(f + ".step", "\"" + dl.step + "\" is not a playbook step");
        dl.within_agent_turns = static_cast<int>(r.number(d, "within_agent_turns", f + ".within_agent_turns", 1, 100).value_or(0));
        if (dl.within_agent_turns == 0) r.fail(f + ".within_agent_turns", "is required for a step deadline (1 to 100)");
      } else if (dl.kind == "first_reply") {
        dl.within_ms = static_cast<std::int64_t>(r.number(d, "within_ms", f + ".within_ms", 1, 864e5).value_or(0));
        if (dl.within_ms == 0) r.fail(f + ".within_ms", "is required for a first_reply deadline (1 ms to 1 day)");
      } else {
        r.fail(f + ".kind", "must be \"step\" or \"first_reply\"");
      }
      c.deadlines.push_back(std::move(dl));
    }
  }
}

void parse_tone(const json& tone, JsonReader& r, CoachingConfig& c) {
  auto checks = tone.find("checks");
  if (checks == tone.end()) {
    // The older form: two fixed checks with their limits.
    ToneCheck caps{"all_caps", "shouting"}, curt{"curt", "short"};
    caps.min_letters = static_cast<int>(r.number(tone, "caps_min_letters", "tone.caps_min_letters", 1, 1000).value_or(caps.min_letters));
    caps.ratio = r.number(tone, "caps_ratio", "tone.caps_ratio", 0.5, 1).value_or(caps.ratio);
    curt.max_words = static_cast<int>(r.number(tone, "curt_max_words", "tone.curt_max_words", 0, 20).value_or(curt.max_words));
    c.tone.checks = {caps, curt};
    return;
  }
  if (!checks->is_array()) {
    r.fail("tone.checks", "must be an array of checks");
    return;
  }
  for (std::size_t i = 0; i < checks->size(); ++i) {
    const auto& o = (*checks)[i];
    const auto f = at("tone.checks", i);
    if (!o.is_object()) {
      r.fail(f, "must be an object with \"flag\" and \"kind\"");
      continue;
    }
    ToneCheck t;
    t.flag = r.string(o, "flag", f + ".flag", true).value_or("");
    t.kind = r.string(o, "kind", f + ".kind", true).value_or("");
    if (t.kind == "shouting") {
      t.min_letters = static_cast<int>(r.number(o, "min_letters", f + ".min_letters", 1, 1000).value_or(t.min_letters));
      t.ratio = r.number(o, "ratio", f + ".ratio", 0.5, 1).value_or(t.ratio);
    } else if (t.kind == "short") {
      t.max_words = static_cast<int>(r.number(o, "max_words", f + ".max_words", 0, 20).value_or(t.max_words));
      t.only_open_complaint = r.boolean(o, "only_open_complaint", f + ".only_open_complaint").value_or(true);
    } else if (!t.kind.empty()) {
      r.fail(f + ".kind", "\"" + t.kind + "\" is not a tone check; use \"shouting\" or \"short\"");
    }
    if (is_act_of(Role::agent, t.flag) || t.flag == "order" || t.flag == "deadline")
      r.fail(f + ".flag", "\"" + t.flag + "\" is taken (an act or a playbook flag); a tone check needs a flag name of its own");
    for (const auto& other : c.tone.checks)
      if (!t.flag.empty() && other.flag == t.flag) r.fail(f + ".flag", "\"" + t.flag + "\" is raised by another check too");
    c.tone.checks.push_back(std::move(t));
  }
}

void parse_flags(const json& flags, JsonReader& r, CoachingConfig& c) {
  for (const auto& [key, v] : flags.items()) {
    const auto f = "flags." + key;
    const std::string& name = key;  // clang 14 (scripts/fuzz) cannot capture a structured binding
    const bool tone_flag = std::any_of(c.tone.checks.begin(), c.tone.checks.end(), [&](const ToneCheck& t) { return t.flag == name; });
    if (!is_act_of(Role::agent, key) && !tone_flag) {
      r.fail(f, "is neither an agent act nor the flag of a tone check");
      continue;
    }
    if (!v.is_object()) {
      r.fail(f, "must be an object with \"why\" and \"try_instead\"");
      continue;
    }
    c.flags[key] = FlagText{r.string(v, "why", f + ".why", true).value_or(""),
                            r.string(v, "try_instead", f + ".try_instead", true).value_or(""),
                            r.string(v, "label", f + ".label", false).value_or(""),
                            r.string(v, "reason", f + ".reason", false).value_or("")};
  }
  for (auto act : acts_of(Role::agent))
    if (c.flags.count(act)) c.flagged_acts.emplace_back(act);
}

void parse_templates(const json& pack, JsonReader& r, CoachingConfig& c) {
  auto it = pack.find("templates");
  if (it == pack.end()) return;
  if (!it->is_array()) {
    r.fail("templates", "must be an array");
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& t = (*it)[i];
    const auto f = at("templates", i);
    if (!t.is_object()) {
      r.fail(f, "must be an object");
      continue;
    }
    ReplyTemplate tpl;
    tpl.step = r.string(t, "step", f + ".step", true).value_or("");
    tpl.id = r.string(t, "id", f + ".id", false).value_or("");
    if (tpl.id.empty()) {
      const auto n = std::count_if(c.templates.begin(), c.templates.end(), [&](const ReplyTemplate& o) { return o.step == tpl.step; });
      tpl.id = tpl.step + "." + std::to_string(n + 1);
    }
    for (const auto& o : c.templates)
      if (o.id == tpl.id) r.fail(f + ".id", "\"" + tpl.id + "\" is already the id of another template; ids must be unique");
    tpl.when = r.strings(t, "when", f + ".when", false);
    if (!tpl.step.empty() && !c.find_step(tpl.step)) r.fail(f + ".step", "\"" + tpl.step + "\" is not a playbook step");
    check_acts(r, Role::customer, tpl.when, f + ".when");
    const auto vs = t.find("variants");
    if (vs == t.end() || !vs->is_array() || vs->empty()) {
      r.fail(f + ".variants", "needs at least one variant");
      c.templates.push_back(std::move(tpl));
      continue;
    }
    for (std::size_t k = 0; k < vs->size(); ++k) {
      const auto& v = (*vs)[k];
      const auto vf = at(f + ".variants", k);
      TemplateVariant variant;
      if (v.is_string()) {
        variant.text = v.get<std::string>();
      } else if (v.is_object()) {
        variant.text = r.string(v, "text", vf + ".text", true).value_or("");
        variant.when = r.strings(v, "when", vf + ".when", false);
        variant.unless = r.strings(v, "unless", vf + ".unless", false);
        for (const auto* list : {&variant.when, &variant.unless})
          for (const auto& cond : *list)
            if (auto why = condition_problem(c, cond); !why.empty()) r.fail(vf, why);
      } else {
        r.fail(vf, "must be a string or {\"text\", \"when\", \"unless\"}");
        continue;
      }
      check_placeholders(r, variant.text, vf);
      tpl.variants.push_back(std::move(variant));
    }
    // The last variant is the fallback when details are unknown: it must need none, and hold always.
    if (!tpl.variants.empty() && (tpl.variants.back().text.find('{') != std::string::npos ||
                                  !tpl.variants.back().when.empty() || !tpl.variants.back().unless.empty()))
      r.fail(f + ".variants", "the last variant must use no placeholder and no condition, so a reply can always be offered");
    c.templates.push_back(std::move(tpl));
  }
}

void parse_sentiment(const json& s, JsonReader& r, CoachingConfig& c) {
  if (auto it = s.find("words"); it != s.end() && it->is_object()) {
    for (const auto& [w, v] : it->items()) {
      if (!v.is_number() || v.get<double>() < -5 || v.get<double>() > 5) {
        r.fail("sentiment.words." + w, "must be a number from -5 to 5");
        continue;
      }
      c.sentiment.words[w] = v.get<double>();
    }
  }
  c.sentiment.negators = r.strings(s, "negators", "sentiment.negators", false);
  if (auto it = s.find("intensifiers"); it != s.end() && it->is_object()) {
    for (const auto& [w, v] : it->items()) {
      if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 5) {
        r.fail("sentiment.intensifiers." + w, "must be a factor above 0 and at most 5");
        continue;
      }
      c.sentiment.intensifiers[w] = v.get<double>();
    }
  }
}

int weight(JsonReader& r, const json& h, const char* key, int def) {
  return static_cast<int>(r.number(h, key, std::string("health.") + key, 0, 100).value_or(def));
}

void parse_health(const json& h, JsonReader& r, CoachingConfig& c) {
  auto& w = c.health;
  w.bad_act = weight(r, h, "bad_act", w.bad_act);
  w.tone = weight(r, h, "tone", w.tone);
  w.missing_step = weight(r, h, "missing_step", w.missing_step);
  w.deadline_missed = weight(r, h, "deadline_missed", w.deadline_missed);
  w.escalation = weight(r, h, "escalation", w.escalation);
  w.sentiment_falling = weight(r, h, "sentiment_falling", w.sentiment_falling);
  w.wait_per_minute = weight(r, h, "wait_per_minute", w.wait_per_minute);
  w.wait_max = weight(r, h, "wait_max", w.wait_max);
  w.message_cap = weight(r, h, "message_cap", w.message_cap);
  w.gratitude = weight(r, h, "gratitude", w.gratitude);
  w.resolved = weight(r, h, "resolved", w.resolved);
  w.wait_grace_ms = static_cast<std::int64_t>(r.number(h, "wait_grace_ms", "health.wait_grace_ms", 0, 864e5).value_or(
      static_cast<double>(w.wait_grace_ms)));
}

}  // namespace

const PlaybookStep* CoachingConfig::find_step(std::string_view step) const {
  auto it = std::find_if(steps.begin(), steps.end(), [&](const PlaybookStep& s) { return s.step == step; });
  return it == steps.end() ? nullptr : &*it;
}

std::string condition_problem(const CoachingConfig& c, std::string_view cond) {
  const auto colon = cond.find(':');
  const auto kind = cond.substr(0, colon == std::string_view::npos ? 0 : colon);
  const auto what = colon == std::string_view::npos ? std::string_view() : cond.substr(colon + 1);
  const std::string quoted = "\"" + std::string(cond) + "\"";
  if (kind == "agent") return is_act_of(Role::agent, what) ? "" : quoted + ": \"" + std::string(what) + "\" is not an agent act";
  if (kind == "customer" || kind == "last")
    return is_act_of(Role::customer, what) ? "" : quoted + ": \"" + std::string(what) + "\" is not a customer act";
  if (kind == "done" || kind == "spoiled" || kind == "refused")
    return c.find_step(what) ? "" : quoted + ": \"" + std::string(what) + "\" is not a playbook step";
  return quoted + " is not a condition; use agent:<act>, customer:<act>, last:<act>, done:<step>, spoiled:<step> or refused:<step>";
}

bool is_known_placeholder(std::string_view name) {
  return std::find(placeholders.begin(), placeholders.end(), name) != placeholders.end();
}

CoachingConfig parse_coaching_config(const json& pack, std::vector<Problem>& problems) {
  CoachingConfig c;
  JsonReader r(problems, "");
  parse_playbook(section(pack, "playbook", r), r, c);
  parse_tone(section(pack, "tone", r), r, c);
  parse_flags(section(pack, "flags", r), r, c);
  parse_templates(pack, r, c);
  c.frames = parse_frames(pack, r);
  c.details = parse_details_config(pack, r);
  parse_sentiment(section(pack, "sentiment", r), r, c);
  parse_health(section(pack, "health", r), r, c);
  for (const auto& step : c.steps) {
    const bool has_template = std::any_of(c.templates.begin(), c.templates.end(),
                                          [&](const ReplyTemplate& t) { return t.step == step.step; });
    if (!has_template) r.fail("templates", "no template offers a reply for step \"" + step.step + "\"");
  }
  return c;
}

}  // namespace tact::coach
