// Recorded conversations played into the real `tact serve` through the HTTP API (each closed at
// its last message) give the same numbers on GET /api/insights as `tact replay --json` gives for
// the same file: conversations, each playbook step done, the average health, the root causes.
// The file: TACT_REPLAY_FILE (e.g. ../shared/data/twitter-customer-care/test.json), else three
// conversations written here in the dataset's format.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "conversation_file.hpp"
#include "harness.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

json turn(const char* who, const char* name, const char* at, const char* text) {
  return json{{who, name}, {"datetime", at}, {"message", text}};
}

json fixture() {
  auto conversation = [](const char* id, json turns) {
    return json{{"dialogHeader", {{"sessionID", id}, {"company", "Acme"}}}, {"dialogContent", std::move(turns)}};
  };
  return json::array({
      conversation("parcel", {turn("client", "dana", "2020-03-02T10:00:00.000Z", "My parcel never arrived, order #4411, this is ridiculous"),
                              turn("agent", "Acme", "2020-03-02T10:03:00.000Z",
                                   "I'm so sorry your parcel hasn't arrived. I'll send a replacement today and check it reaches you."),
                              turn("client", "dana", "2020-03-02T10:05:00.000Z", "Thank you, that's great")}),
      conversation("login", {turn("client", "eli", "2020-03-03T09:00:00.000Z", "I can't log into my account, it keeps saying wrong password"),
                             turn("agent", "Acme", "2020-03-03T09:40:00.000Z", "You should have reset your password first."),
                             turn("client", "eli", "2020-03-03T09:45:00.000Z", "I did. Still locked out!!")}),
      conversation("hours", {turn("client", "fay", "2020-03-04T12:00:00.000Z", "What time do your stores open on Sunday?"),
                             turn("agent", "Acme", "2020-03-04T12:02:00.000Z", "Hi Fay, our stores open at 10am on Sundays.")}),
  });
}

json run_replay(const std::string& file) {
  FILE* p = popen((tact_bin() + " replay " + file + " --json 2>/dev/null").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  return json::parse(out);
}

}  // namespace

TEST_CASE("recorded conversations played into serve give the insights tact replay gives") {
  TempDir dir;
  std::string file;
  if (const char* given = std::getenv("TACT_REPLAY_FILE")) {
    file = given;
  } else {
    file = dir.path + "/recorded.json";
    std::ofstream(file) << fixture().dump();
  }
  std::ifstream in(file);
  REQUIRE(in);
  const auto recorded = tact::cli::read_conversations(json::parse(in));
  REQUIRE(recorded.error.empty());
  const auto replay = run_replay(file);

  ServerProcess server(dir.path + "/data");
  const auto sam = token(UserRole::supervisor, "sam", "Sam");
  std::int64_t first = INT64_MAX, last = 0;
  std::size_t done = 0;
  for (const auto& c : recorded.conversations) {
    const std::string path = "/api/conversations/replay-" + std::to_string(done);
    for (const auto& e : c.events) {
      const json body{{"role", e.role == tact::coach::Role::agent ? "agent" : "customer"}, {"text", e.text}, {"at", e.at_ms}};
      auto posted = http_request(server.port(), "POST", path + "/events", sam, body.dump());
      REQUIRE(posted.status == 200);
    }
    const auto closed_at = c.events.empty() ? 0 : c.events.back().at_ms;
    REQUIRE(http_request(server.port(), "POST", path + "/close", sam, json{{"at", closed_at}}.dump()).status == 200);
    first = std::min(first, closed_at);
    last = std::max(last, closed_at);
    if (++done % 100 == 0) std::fprintf(stderr, "replay_insights: %zu/%zu conversations played and closed\n", done, recorded.conversations.size());
  }
  // Bad close bodies are refused and close nothing.
  auto open = http_request(server.port(), "POST", "/api/conversations/still-open/events", sam, json{{"role", "customer"}, {"text", "hello?"}}.dump());
  REQUIRE(open.status == 200);
  for (const std::string& bad : {std::string("[1]"), json{{"at", -1}}.dump(), json{{"at", "x"}}.dump(), json{{"at", 1e300}}.dump()})
    CHECK(http_request(server.port(), "POST", "/api/conversations/still-open/close", sam, bad).status == 400);
  CHECK(json::parse(http_request(server.port(), "GET", "/api/conversations/still-open", sam).body).at("open") == true);

  // The insights of [first, last]: in windows of at most 400 days (the route's limit), summed.
  auto totals = [&] {
    json sum{{"conversations", 0}, {"health_sum", 0.0}, {"steps", json::object()}, {"causes", json::object()}};
    constexpr std::int64_t kWindow = 399LL * 86400000;
    for (std::int64_t from = first; from <= last; from += kWindow) {
      const auto to = std::min(from + kWindow, last + 1);
      auto r = http_request(server.port(), "GET", "/api/insights?from=" + std::to_string(from) + "&to=" + std::to_string(to), sam);
      REQUIRE(r.status == 200);
      const auto team = json::parse(r.body).at("team");
      const int n = team.at("conversations");
      sum["conversations"] = sum["conversations"].get<int>() + n;
      if (n > 0) sum["health_sum"] = sum["health_sum"].get<double>() + team.at("average_final_health").get<double>() * n;
      for (const auto& [step, v] : team.at("steps").items()) sum["steps"][step] = sum["steps"].value(step, 0) + v.at("done").get<int>();
      for (const auto& c : team.at("top_causes")) sum["causes"][c.at("id").get<std::string>()] = sum["causes"].value(c.at("id").get<std::string>(), 0) + c.at("count").get<int>();
    }
    return sum;
  };
  // Every close is reviewed before `closed` goes out; the API answers first, so wait for the last.
  json team;
  for (int tries = 0; tries < 100; ++tries) {
    team = totals();
    if (team.at("conversations") == replay.at("conversations")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const int conversations = team.at("conversations");
  CHECK(conversations == replay.at("conversations").get<int>());
  const double health = conversations ? team.at("health_sum").get<double>() / conversations : 0;
  CHECK(std::abs(health - replay.at("health").at("mean").get<double>()) < 0.01);
  for (const auto& [step, n] : replay.at("steps_done").items()) {
    INFO("step " << step);
    CHECK(team.at("steps").value(step, 0) == n.get<int>());
  }
  for (const auto& [cause, n] : replay.at("root_causes").items()) {
    INFO("cause " << cause);
    CHECK(team.at("causes").value(cause, 0) == n.get<int>());
  }
  // `tact report` reads the same reviews from the data dir (no 400-day window on the command line).
  const std::string report_cmd = tact_bin() + " report --data " + dir.path + "/data --from " + std::to_string(first) + " --to " +
                                 std::to_string(last + 1);
  FILE* p = popen((report_cmd + " --json --html " + dir.path + "/report.html 2>/dev/null").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  const auto report = json::parse(out);
  CHECK(report.at("team").at("conversations") == replay.at("conversations"));
  CHECK(std::abs(report.at("team").at("average_final_health").get<double>() - replay.at("health").at("mean").get<double>()) < 0.01);
  std::ifstream html(dir.path + "/report.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  CHECK(page.find("<svg role=\"img\" aria-label=\"Root causes: ") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);  // self-contained and inert
  std::fprintf(stderr, "replay_insights: %s: %d conversations, average health %.3f (replay %.3f), causes %s\n", file.c_str(),
               conversations, health, replay.at("health").at("mean").get<double>(), team.at("causes").dump().c_str());
}
