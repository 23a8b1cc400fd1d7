// tact annotate: JSONL in, JSONL out, one line per line, streaming.
#include <iostream>
#include <map>

#include "annotator.hpp"
#include "conversation.hpp"
#include "commands.hpp"
#include "json_io.hpp"
#include "pack_loader.hpp"

namespace tact::cli {
namespace {

using nlohmann::json;

json error_line(const json& id, std::string message) { return json{{"id", id}, {"error", std::move(message)}}; }

struct Stream {
  const coach::RuleSet& rules;
  std::map<std::string, coach::Conversation> conversations;
  std::size_t fallbacks = 0;
};

std::string id_text(const json& id) { return id.is_string() ? id.get<std::string>() : id.dump(); }

// One input line to one output line. Never throws on bad content. Lines with "conversation" and
// "at" go through that conversation's state and add it to the output.
json annotate_line(Stream& stream, const std::string& line) {
  auto in = json::parse(line, nullptr, false);
  if (in.is_discarded()) return error_line(nullptr, "not valid JSON; each line must be one JSON object");
  if (!in.is_object()) return error_line(nullptr, std::string("expected a JSON object, got ") + in.type_name());
  json id = in.contains("id") ? in["id"] : json(nullptr);
  auto role_it = in.find("role");
  if (role_it == in.end() || !role_it->is_string())
    return error_line(id, "missing \"role\": give \"customer\" or \"agent\"");
  auto role = coach::parse_role(role_it->get<std::string>());
  if (!role) return error_line(id, "unknown role \"" + role_it->get<std::string>() + "\": use \"customer\" or \"agent\"");
  auto text_it = in.find("text");
  if (text_it == in.end() || !text_it->is_string()) return error_line(id, "missing \"text\": give the message as a string");
  const auto conv_it = in.find("conversation");
  const auto at_it = in.find("at");
  if (conv_it == in.end() && at_it == in.end()) {
    const auto annotation = coach::annotate(stream.rules, *role, text_it->get<std::string>());
    if (annotation.scan_fallback) ++stream.fallbacks;
    json out = annotation;
    out["id"] = id;
    return out;
  }
  if (conv_it == in.end() || !(conv_it->is_string() || conv_it->is_number_integer()))
    return error_line(id, "\"at\" given without \"conversation\": give both, or neither");
  if (at_it == in.end() || !at_it->is_number_integer())
    return error_line(id, "\"conversation\" needs \"at\": the message time in ms since the epoch, as an integer");
  auto& conv = stream.conversations[id_text(*conv_it)];
  const auto at = at_it->get<std::int64_t>();
  const auto id_str = id.is_null() ? std::to_string(conv.message_count() + 1) : id_text(id);
  const auto result = conv.apply(stream.rules, {*role, text_it->get<std::string>(), at, id_str});
  if (result.annotation.scan_fallback) ++stream.fallbacks;
  json out = result.annotation;
  out["id"] = id;
  out["conversation"] = *conv_it;
  json state = conv.snapshot(stream.rules, at);
  state["flags"] = result.flags;
  if (result.sentiment) state["message_sentiment"] = *result.sentiment;
  out["state"] = std::move(state);
  return out;
}

}  // namespace

int annotate_command(const Args& args) {
  std::string rules_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) {
      rules_path = args[++i];
    } else {
      std::cerr << "tact annotate: unknown argument \"" << args[i] << "\"\nusage: tact annotate [--rules FILE] < in.jsonl\n";
      return 2;
    }
  }
  auto rules = load_rules(rules_path, std::cerr);
  if (!rules) return 2;
  std::ios::sync_with_stdio(false);
  std::string line;
  Stream stream{*rules, {}, 0};
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto out = annotate_line(stream, line);
    std::cout << coach::dump(out) << '\n';
    // Flush whenever we would otherwise wait for input, so the stream flows line by line.
    if (std::cin.rdbuf()->in_avail() <= 0) std::cout.flush();
    if (!std::cout) {
      std::cerr << "tact annotate: cannot write output\n";
      return 1;
    }
  }
  std::cout.flush();
  if (std::cin.bad()) {
    std::cerr << "tact annotate: cannot read input\n";
    return 1;
  }
  if (stream.fallbacks) std::cerr << "tact annotate: " << stream.fallbacks << " messages rescanned after the DFA ran out of memory\n";
  return std::cout ? 0 : 1;
}

}  // namespace tact::cli
