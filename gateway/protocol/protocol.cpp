#include "protocol/protocol.hpp"

#include <cstdint>

#include "json_io.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

constexpr FrameType kTypes[] = {FrameType::message, FrameType::draft, FrameType::close, FrameType::whisper,
                                FrameType::subscribe, FrameType::rating, FrameType::feedback};
constexpr const char* kTypeList = "message, draft, close, whisper, subscribe, rating or feedback";

ParsedFrame fail(std::string code, std::string message, json ref) {
  return {std::nullopt, {std::move(code), std::move(message), std::move(ref)}};
}

// The fields a client frame may carry, read straight from the parser's events (SAX): a
// frame becomes its strings without a JSON tree, which cost a dozen allocations per message.
// Reads as nlohmann::json::parse would: only top-level keys count, and a repeated key's last
// value wins.
enum FieldName { kType, kConversation, kText, kClientId, kScore, kComment, kMessageId, kKind, kRule, kTemplate, kReason, kFieldCount };
constexpr const char* kFieldNames[kFieldCount] = {"type", "conversation", "text", "client_id", "score", "comment",
                                                  "message_id", "kind", "rule", "template", "reason"};

struct Field {
  enum Kind { absent, null, string, integer, other } kind = absent;
  std::string value;
  std::int64_t number = 0;  // for an integer
};

class FrameFields : public nlohmann::json_sax<json> {
 public:
  Field fields[kFieldCount];
  std::string top = "discarded";  // the type name of the whole frame (json::type_name)

  bool null() override { return value("null", Field::null); }
  bool boolean(bool) override { return value("boolean", Field::other); }
  bool number_integer(number_integer_t v) override { return integer_value(v); }
  bool number_unsigned(number_unsigned_t v) override {
    return v > static_cast<number_unsigned_t>(INT64_MAX) ? value("number", Field::other) : integer_value(static_cast<std::int64_t>(v));
  }
  bool number_float(number_float_t, const string_t&) override { return value("number", Field::other); }
  bool binary(binary_t&) override { return value("binary", Field::other); }
  bool string(string_t& s) override {
    if (auto* f = field_of_value("string", Field::string)) f->value = s;
    return true;
  }
  bool start_object(std::size_t) override { return open("object"); }
  bool start_array(std::size_t) override { return open("array"); }
  bool end_object() override { return --depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    current_ = nullptr;
    for (int i = 0; i < kFieldCount; ++i)
      if (k == kFieldNames[i]) current_ = &fields[i];
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  // A value: the frame itself at depth 0, a field's at depth 1 (after its key).
  Field* field_of_value(const char* type_name, Field::Kind kind) {
    if (depth_ == 0) top = type_name;
    if (depth_ != 1 || !current_) return nullptr;
    Field* f = current_;
    f->kind = kind;
    f->value.clear();
    current_ = nullptr;
    return f;
  }
  bool value(const char* type_name, Field::Kind kind) {
    field_of_value(type_name, kind);
    return true;
  }
  bool integer_value(std::int64_t v) {
    if (auto* f = field_of_value("number", Field::integer)) f->number = v;
    return true;
  }
  bool open(const char* type_name) {
    field_of_value(type_name, Field::other);
    ++depth_;
    return true;
  }
  int depth_ = 0;
  Field* current_ = nullptr;
};

// Reads string field `name` into `out`. Returns the error when it is absent (and required), not a
// string, or of a bad length; the caller sets its ref.
std::optional<FrameError> read_string(Field& field, const char* name, const std::string& type, bool required,
                                      bool allow_empty, std::size_t max, std::string& out) {
  if (field.kind == Field::absent || field.kind == Field::null) {
    if (!required) return std::nullopt;
    return FrameError{"missing_field", std::string("\"") + name + "\" is required for a " + type, nullptr};
  }
  if (field.kind != Field::string) return FrameError{"bad_field", std::string("\"") + name + "\" must be a string", nullptr};
  const auto& s = field.value;
  if (s.empty() && !allow_empty) return FrameError{"bad_field", std::string("\"") + name + "\" must not be empty", nullptr};
  if (s.size() > max) return FrameError{"bad_field", std::string("\"") + name + "\" is too long (at most " + std::to_string(max) + " bytes)", nullptr};
  // No store keeps a NUL faithfully (PostgreSQL's text cannot hold one): refused, not cut short.
  if (s.find('\0') != std::string::npos)
    return FrameError{"bad_field", std::string("\"") + name + "\" must not contain U+0000 (NUL); remove it and send again", nullptr};
  out = std::move(field.value);
  return std::nullopt;
}

// A rating's score: a whole number from 1 to 5 (not a string, not 4.5).
std::optional<FrameError> read_score(const Field& field, int& out) {
  const char* how = "\"score\" must be a whole number from 1 (bad) to 5 (great), e.g. \"score\":4";
  if (field.kind == Field::absent || field.kind == Field::null) return FrameError{"missing_field", std::string(how), nullptr};
  if (field.kind != Field::integer) return FrameError{"bad_field", std::string(how) + (field.kind == Field::string ? ", not a string" : ""), nullptr};
  if (field.number < 1 || field.number > 5)
    return FrameError{"bad_field", std::string(how) + "; " + std::to_string(field.number) + " is out of range", nullptr};
  out = static_cast<int>(field.number);
  return std::nullopt;
}

// feedback: {"conversation","message_id","kind":"dispute","rule","reason"?} or
// {"conversation","message_id","kind":"used"|"edited","template"}.
std::optional<FrameError> read_feedback(FrameFields& in, ClientFrame& f) {
  const std::string type = "feedback";
  auto read = [&](FieldName name, bool required, std::size_t max, std::string& out) {
    return read_string(in.fields[name], kFieldNames[name], type, required, false, max, out);
  };
  if (auto e = read(kConversation, true, kMaxIdBytes, f.conversation)) return e;
  if (auto e = read(kMessageId, true, kMaxIdBytes, f.message_id)) return e;
  if (auto e = read(kKind, true, 16, f.kind)) return e;
  if (f.kind == "dispute") {
    if (auto e = read(kRule, true, kMaxIdBytes, f.target)) return e;
    auto& reason = in.fields[kReason];
    if (reason.kind == Field::string && reason.value.size() > kMaxReasonBytes)
      return FrameError{"bad_field", "\"reason\" is " + std::to_string(reason.value.size()) + " bytes; shorten it to at most " +
                                         std::to_string(kMaxReasonBytes), nullptr};
    return read_string(reason, "reason", type, false, true, kMaxReasonBytes, f.reason);
  }
  if (f.kind == "used" || f.kind == "edited") return read(kTemplate, true, kMaxIdBytes, f.target);
  return FrameError{"bad_field", "\"kind\" must be \"dispute\" (with \"rule\"), \"used\" or \"edited\" (with \"template\")", nullptr};
}

}  // namespace

std::string_view to_string(FrameType t) noexcept {
  switch (t) {
    case FrameType::message: return "message";
    case FrameType::draft: return "draft";
    case FrameType::close: return "close";
    case FrameType::whisper: return "whisper";
    case FrameType::subscribe: return "subscribe";
    case FrameType::rating: return "rating";
    case FrameType::feedback: return "feedback";
  }
  return "message";
}

ParsedFrame parse_client_frame(std::string_view text) {
  FrameFields in;
  if (!json::sax_parse(text, &in)) return fail("bad_json", "the frame is not valid JSON", nullptr);
  if (in.top != "object") return fail("bad_json", "the frame must be a JSON object, not " + in.top, nullptr);
  // What an error refers to: the frame's client_id, else its type (built only for an error).
  const auto& cid = in.fields[kClientId];
  const bool has_cid = cid.kind == Field::string && cid.value.size() <= kMaxIdBytes;
  auto ref = [&](const json& otherwise) { return has_cid ? json(cid.value) : otherwise; };
  const auto& type_field = in.fields[kType];
  if (type_field.kind != Field::string)
    return fail("unknown_type", std::string("\"type\" is required: ") + kTypeList, ref(nullptr));
  const auto& type_name = type_field.value;
  std::optional<FrameType> type;
  for (auto t : kTypes)
    if (to_string(t) == type_name) type = t;
  if (!type) return fail("unknown_type", "unknown type \"" + type_name.substr(0, 64) + "\": use " + kTypeList, ref(nullptr));

  ClientFrame f;
  f.type = *type;
  std::optional<FrameError> e;
  const auto max_text = text.size();  // the frame limit already bounds every field
  auto read = [&](FieldName name, bool required, bool allow_empty, std::size_t max, std::string& out) {
    return read_string(in.fields[name], kFieldNames[name], type_name, required, allow_empty, max, out);
  };
  switch (f.type) {
    case FrameType::message:
      if ((e = read(kConversation, false, false, kMaxIdBytes, f.conversation))) break;
      if ((e = read(kText, true, false, max_text, f.text))) break;
      e = read(kClientId, true, false, kMaxIdBytes, f.client_id);
      break;
    case FrameType::draft:
      if ((e = read(kConversation, true, false, kMaxIdBytes, f.conversation))) break;
      e = read(kText, true, true, max_text, f.text);
      break;
    case FrameType::whisper:
      if ((e = read(kConversation, true, false, kMaxIdBytes, f.conversation))) break;
      e = read(kText, true, false, max_text, f.text);
      break;
    case FrameType::close:
      e = read(kConversation, true, false, kMaxIdBytes, f.conversation);
      break;
    case FrameType::subscribe:
      break;
    case FrameType::rating:
      if ((e = read(kConversation, true, false, kMaxIdBytes, f.conversation))) break;
      if ((e = read_score(in.fields[kScore], f.score))) break;
      if (in.fields[kComment].kind == Field::string && in.fields[kComment].value.size() > kMaxCommentBytes) {
        e = FrameError{"bad_field", "\"comment\" is " + std::to_string(in.fields[kComment].value.size()) + " bytes; shorten it to at most " +
                                        std::to_string(kMaxCommentBytes), nullptr};
        break;
      }
      e = read(kComment, false, true, kMaxCommentBytes, f.comment);
      break;
    case FrameType::feedback:
      e = read_feedback(in, f);
      break;
  }
  if (e) {
    e->ref = ref(type_name);
    return {std::nullopt, std::move(*e)};
  }
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
    case FrameType::rating: ok = role == UserRole::customer; break;
    case FrameType::feedback: ok = role == UserRole::agent; break;
  }
  if (ok) return std::nullopt;
  json ref = frame.client_id.empty() ? json(std::string(to_string(frame.type))) : json(frame.client_id);
  return FrameError{"wrong_role", "a " + std::string(to_string(role)) + " may not send " + std::string(to_string(frame.type)), ref};
}

std::string error_event(const FrameError& e) {
  return coach::dump(json{{"type", "error"}, {"code", e.code}, {"message", e.message}, {"ref", e.ref}});
}

}  // namespace tact::gateway
