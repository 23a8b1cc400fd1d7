// The JSON writer must produce what nlohmann::json would: the gateway's frames are written with
// it, and browsers and the command line parse them.
#include <catch2/catch.hpp>

#include "json_io.hpp"
#include "json_writer.hpp"

using tact::coach::JsonWriter;
using nlohmann::json;

namespace {
std::string written(std::string_view s) { return JsonWriter().value(s).take(); }
std::string nlohmann_dump(const std::string& s) { return tact::coach::dump(json(s)); }
}  // namespace

TEST_CASE("strings are escaped as nlohmann escapes them") {
  for (std::string s : {std::string("plain"), std::string("quote \" and backslash \\"), std::string("tab\tnew\nline\rret"),
                        std::string("\b\f"), std::string("ctl \x01\x1f del \x7f"), std::string("nul \0 inside", 12),
                        std::string("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xE4\xB8\xAD"), std::string("</script>"), std::string()}) {
    INFO(s);
    CHECK(written(s) == nlohmann_dump(s));
    CHECK(json::parse(written(s)).get<std::string>() == s);
  }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and the rest is kept") {
  const std::string bad[] = {"a\xFFz", "a\xC3z", "a\xE2\x80z", "a\xED\xA0\x80z" /* surrogate */, "a\xC0\xAFz" /* overlong */,
                             "a\xF4\x90\x80\x80z" /* over U+10FFFF */, "end\xE2\x80"};
  for (const auto& s : bad) {
    INFO(s);
    const auto out = json::parse(written(s)).get<std::string>();  // parses: valid UTF-8
    CHECK(out.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(out.front() == s.front());
  }
}

TEST_CASE("objects, arrays, numbers and raw values") {
  JsonWriter w;
  w.begin_object().key("n").value(-42).key("big").value(std::int64_t{9007199254740993}).key("d").value(0.35);
  w.key("whole").value(2.0).key("nan").value(std::numeric_limits<double>::quiet_NaN()).key("t").value(true);
  w.key("empty").begin_array().end_array().key("list").begin_array().value("a").begin_object().end_object().value(1).end_array();
  w.key("raw").raw(R"({"x":[1,2]})").key("z").null().end_object();
  const auto j = json::parse(w.str());
  CHECK(j["n"] == -42);
  CHECK(j["big"].get<std::int64_t>() == 9007199254740993);
  CHECK(j["d"].get<double>() == 0.35);
  CHECK(j["whole"].is_number_float());
  CHECK(j["nan"].is_null());
  CHECK(j["t"] == true);
  CHECK(j["empty"] == json::array());
  CHECK(j["list"] == json::parse(R"(["a",{},1])"));
  CHECK(j["raw"]["x"][1] == 2);
  CHECK(j["z"].is_null());
}

TEST_CASE("the coach's values keep their JSON form") {
  tact::coach::Flag f{"blame", "blame.should-have", tact::coach::ByteRange{3, 9}, "why \"this\"", "try that"};
  CHECK(json(f) == json::parse(R"({"kind":"blame","rule":"blame.should-have","begin":3,"end":9,"why":"why \"this\"","try_instead":"try that"})"));
  tact::coach::Details d;
  d.order = "#4411";
  CHECK(json(d) == json::parse(R"({"order":"#4411"})"));
  tact::coach::Health h{71, {{-20, "no apology"}, {-9, "waiting 4 min"}}};
  CHECK(json(h) == json::parse(R"({"score":71,"reasons":[{"delta":-20,"text":"no apology"},{"delta":-9,"text":"waiting 4 min"}]})"));
}
