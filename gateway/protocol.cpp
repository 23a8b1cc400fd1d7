#include "protocol.hpp"

#include "json_io.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

constexpr FrameType kTypes[] = {FrameType::message, FrameType::draft, FrameType::close, FrameType::whisper,
                                FrameType::subscribe};

ParsedFrame fail(std::string code, std::string message, json ref) {
  return {std::nullopt, {std::move(code), std::move(message), std::move(ref)}};
}

// Reads string field `name` into `out`. Returns the error when it is absent (and required), not a
// string, or of a bad length.
std::optional<FrameError> read_string(const json& j, const char* name, bool required, bool allow_empty,
                                      std::size_t max, std::string& out, const json& ref) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    if (!required) return std::nullopt;
    return FrameError{"missing_field", std::string("\"") + name + "\" is required for a " + j.at("type").get<std::string>(), ref};
  }
  if (!it->is_string()) return FrameError{"bad_field", std::string("\"") + name + "\" must be a string", ref};
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty() && !allow_empty) return FrameError{"bad_field", std::string("\"") + name + "\" must not be empty", ref};
  if (s.size() > max) return FrameError{"bad_field", std::string("\"") + name + "\" is too long (at most " + std::to_string(max) + " bytes)", ref};
  out = s;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FrameType t) noexcept {
  switch (t) {
    case FrameType::message: return "message";
    case FrameType::draft: return "draft";
    case FrameType::close: return "close";
    case FrameType::whisper: return "whisper";
    case FrameType::subscribe: return "subscribe";
  }
  return "message";
}

ParsedFrame parse_client_frame(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail("bad_json", "the frame is not valid JSON", nullptr);
  if (!j.is_object()) return fail("bad_json", std::string("the frame must be a JSON object, not ") + j.type_name(), nullptr);
  json ref = nullptr;
  if (auto cid = j.find("client_id"); cid != j.end() && cid->is_string() && cid->get_ref<const std::string&>().size() <= kMaxIdBytes)
    ref = *cid;
  auto type_it = j.find("type");
  if (type_it == j.end() || !type_it->is_string())
    return fail("unknown_type", "\"type\" is required: message, draft, close, whisper or subscribe", ref);
  const auto& type_name = type_it->get_ref<const std::string&>();
  std::optional<FrameType> type;
  for (auto t : kTypes)
    if (to_string(t) == type_name) type = t;
  if (!type) return fail("unknown_type", "unknown type \"" + type_name.substr(0, 64) + "\": use message, draft, close, whisper or subscribe", ref);
  if (ref.is_null()) ref = type_name;

  ClientFrame f;
  f.type = *type;
  std::optional<FrameError> e;
  const auto max_text = text.size();  // the frame limit already bounds every field
  switch (f.type) {
    case FrameType::message:
      if ((e = read_string(j, "conversation", false, false, kMaxIdBytes, f.conversation, ref))) break;
      if ((e = read_string(j, "text", true, false, max_text, f.text, ref))) break;
      e = read_string(j, "client_id", true, false, kMaxIdBytes, f.client_id, ref);
      break;
    case FrameType::draft:
      if ((e = read_string(j, "conversation", true, false, kMaxIdBytes, f.conversation, ref))) break;
      e = read_string(j, "text", true, true, max_text, f.text, ref);
      break;
    case FrameType::whisper:
      if ((e = read_string(j, "conversation", true, false, kMaxIdBytes, f.conversation, ref))) break;
      e = read_string(j, "text", true, false, max_text, f.text, ref);
      break;
    case FrameType::close:
      e = read_string(j, "conversation", true, false, kMaxIdBytes, f.conversation, ref);
      break;
    case FrameType::subscribe:
      break;
  }
  if (e) return {std::nullopt, std::move(*e)};
  return {std::move(f), {}};
}

std::optional<FrameError> check_role(const ClientFrame& frame, UserRole role) {
  bool ok = false;
  switch (frame.type) {
    case FrameType::message: ok = role == UserRole::customer || role == UserRole::agent; break;
    case FrameType::draft:
    case FrameType::close: ok = role == UserRole::agent; break;
    case FrameType::whisper:
    case FrameType::subscribe: ok = role == UserRole::supervisor || role == UserRole::admin; break;
  }
  if (ok) return std::nullopt;
  json ref = frame.client_id.empty() ? json(std::string(to_string(frame.type))) : json(frame.client_id);
  return FrameError{"wrong_role", "a " + std::string(to_string(role)) + " may not send " + std::string(to_string(frame.type)), ref};
}

std::string error_event(const FrameError& e) {
  return coach::dump(json{{"type", "error"}, {"code", e.code}, {"message", e.message}, {"ref", e.ref}});
}

}  // namespace tact::gateway
