// Conversation state: memory per conversation after 20 messages, and events per second through
// Conversation::apply + snapshot, beside annotate alone over the same texts in the same run.
//   bench_state [FILES...]   (default: both twitter-customer-care files)
#include <chrono>
#include <cstdio>

#include "annotator.hpp"
#include "conversation.hpp"
#include "dataset.hpp"
#include "pack_loader.hpp"

using namespace tact;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  auto rules = cli::load_rules("", std::cerr);
  if (!rules) return 2;
  const auto messages = bench::load_messages(bench::default_files(argc, argv));
  std::vector<const bench::Message*> customer, agent;
  for (const auto& m : messages) (m.role == coach::Role::customer ? customer : agent).push_back(&m);

  // 1,000 conversations of 20 messages, customer and agent taking turns, texts from the corpus.
  const std::size_t conversations = 1000, per_conversation = 20;
  std::vector<coach::Event> events;
  for (std::size_t c = 0; c < conversations; ++c)
    for (std::size_t k = 0; k < per_conversation; ++k) {
      const auto& pool = k % 2 == 0 ? customer : agent;
      const auto* m = pool[(c * per_conversation + k) % pool.size()];
      events.push_back({m->role, m->text, 1'700'000'000'000 + static_cast<std::int64_t>(k) * 30'000,
                        std::to_string(k + 1)});
    }
  std::size_t sink = 0;
  double best_annotate = 0, best_state = 0, best_state_snapshot = 0;
  std::size_t bytes = 0;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Clock::now();
    for (const auto& e : events) sink += coach::annotate(*rules, e.role, e.text).acts.size();
    auto t1 = Clock::now();
    std::vector<coach::Conversation> convs(conversations);
    for (std::size_t i = 0; i < events.size(); ++i) sink += convs[i / per_conversation].apply(*rules, events[i]).flags.size();
    auto t2 = Clock::now();
    std::vector<coach::Conversation> convs2(conversations);
    for (std::size_t i = 0; i < events.size(); ++i) {
      auto& c = convs2[i / per_conversation];
      c.apply(*rules, events[i]);
      sink += c.snapshot(*rules, events[i].at_ms).suggestions.size();
    }
    auto t3 = Clock::now();
    const auto rate = [&](auto a, auto b) { return events.size() / std::chrono::duration<double>(b - a).count(); };
    best_annotate = std::max(best_annotate, rate(t0, t1));
    best_state = std::max(best_state, rate(t1, t2));
    best_state_snapshot = std::max(best_state_snapshot, rate(t2, t3));
    bytes = 0;
    for (const auto& c : convs) bytes += c.memory_bytes();
    std::fprintf(stderr, ".");
  }
  std::fprintf(stderr, "\n");
  std::printf("%zu conversations x %zu messages (best of 3)\n", conversations, per_conversation);
  std::printf("annotate alone:                 %9.0f events/s\n", best_annotate);
  std::printf("apply (annotate + state):       %9.0f events/s  ratio %.2f\n", best_state, best_state / best_annotate);
  std::printf("apply + snapshot (as the gateway sends): %9.0f events/s  ratio %.2f\n", best_state_snapshot,
              best_state_snapshot / best_annotate);
  std::printf("state memory after %zu messages: %zu bytes per conversation (mean)\n", per_conversation, bytes / conversations);
  return sink == 0 ? 1 : 0;
}
