#pragma once
// JSON text written straight into a string, for the gateway's per-message frames: building a
// nlohmann::json tree first (a std::map per object, a node per value) costs several times the
// coaching itself. Strings come out as nlohmann's dump(error_handler_t::replace) writes them:
// '"', '\\' and control characters escaped, other UTF-8 as is, invalid UTF-8 as U+FFFD.
//
//   JsonWriter w;
//   w.begin_object().key("type").value("ack").key("seq").value(3).end_object();
//   w.str() == R"({"type":"ack","seq":3})"
#include <cstdint>
#include <string>
#include <string_view>

namespace tact::coach {

class JsonWriter {
 public:
  JsonWriter() = default;
  explicit JsonWriter(std::size_t reserve) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(std::uint32_t n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(double d);  // NaN and infinities as null, as nlohmann does
  JsonWriter& value(bool b);
  JsonWriter& null();
  // Already serialized JSON, inserted as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  void string(std::string_view s);

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace tact::coach
