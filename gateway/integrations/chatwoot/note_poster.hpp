#pragma once
// Suggestions into Chatwoot: after a customer message, the coach's top suggestion and the steps
// still missing, posted as a private note (POST {url}/api/v1/accounts/{account}/conversations/
// {id}/messages with {"content","message_type":"outgoing","private":true} and the header
// api_access_token, as Chatwoot's API takes it). Outbound HTTP(S) on its own thread, one note at
// a time, each attempt with a timeout, retried with backoff on a timeout, a connection error, 429
// or 5xx; never on another 4xx. Nothing here blocks coaching: post() only queues. Results are
// counted in /metrics (tact_integration_notes_total) and logged without the note's text.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "obs/metrics.hpp"

namespace tact::gateway::chatwoot {

// The note for a coach event (the answer to a customer message): the first suggestion and the
// missing checklist steps, in Markdown. "" when there is nothing to suggest.
std::string note_content(const nlohmann::json& coach);

struct NoteJob {
  std::string integration;  // its name, for logs
  std::string base_url;     // http(s)://host[:port][/path]
  std::int64_t account = 0;
  std::int64_t conversation = 0;  // Chatwoot's display id
  std::string api_token;
  std::string content;
};

struct NotePosterOptions {
  std::chrono::milliseconds timeout{5000};       // per attempt: connect, send and answer
  int attempts = 3;                               // the first and two retries
  std::chrono::milliseconds backoff{500};         // before the first retry; doubled each time
  std::chrono::milliseconds min_interval{10000};  // at most one note per conversation this often
  std::size_t max_queue = 1000;                   // notes waiting; more are dropped
};

class NotePoster {
 public:
  using Clock = std::function<std::int64_t()>;  // ms
  NotePoster(Metrics& metrics, NotePosterOptions options, Clock now_ms);
  ~NotePoster();  // stops after the attempt under way; what still waits is dropped
  NotePoster(const NotePoster&) = delete;
  NotePoster& operator=(const NotePoster&) = delete;

  // Queues the note. False (and counted) when that conversation had one less than min_interval
  // ago, or the queue is full.
  bool post(NoteJob job);

 private:
  enum class Outcome { sent, retry, give_up };
  Outcome attempt(const NoteJob& job, std::string& detail);
  void run();

  Metrics& metrics_;
  NotePosterOptions options_;
  Clock now_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<NoteJob> queue_;
  std::map<std::string, std::int64_t> last_note_;  // integration/conversation -> ms of its last note
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace tact::gateway::chatwoot
