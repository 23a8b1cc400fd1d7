// Annotate throughput on one core, beside a bare RE2::Set::Match of the same patterns over the
// same normalized texts in the same run. Prints messages per second and the ratio.
//   bench_annotate [FILES...]   (default: both twitter-customer-care files)
#include <chrono>
#include <cstdio>

#include "annotator.hpp"
#include "dataset.hpp"
#include "normalize.hpp"
#include "pack_loader.hpp"
#include "redact.hpp"

using namespace tact;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double best_rate(std::size_t messages, int rounds, F&& pass) {
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    pass();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, messages / s);
    std::fprintf(stderr, ".");
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  auto rules = cli::load_rules("", std::cerr);
  if (!rules) return 2;
  const auto messages = bench::load_messages(bench::default_files(argc, argv));
  std::vector<std::string> normalized;
  for (const auto& m : messages) normalized.push_back(coach::normalize(m.text).text);
  // Each pass covers the corpus this many times, so a pass lasts long enough to time.
  const int repeat = 20, rounds = 5;
  const std::size_t n = messages.size() * repeat;
  std::size_t sink = 0;

  const double bare = best_rate(n, rounds, [&] {
    std::vector<int> hits;
    for (int k = 0; k < repeat; ++k)
      for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& idx = rules->index(messages[i].role);
        hits.clear();
        idx.set->Match(normalized[i], &hits);
        sink += hits.size();
      }
  });
  const double acts_only = best_rate(n, rounds, [&] {
    for (int k = 0; k < repeat; ++k)
      for (const auto& m : messages) sink += coach::annotate(*rules, m.role, m.text, coach::Spans::no).acts.size();
  });
  const double full = best_rate(n, rounds, [&] {
    for (int k = 0; k < repeat; ++k)
      for (const auto& m : messages) sink += coach::annotate(*rules, m.role, m.text).acts.size();
  });
  // Redaction as tact serve does it for each message (--redact store): the text, then the
  // annotation's spans mapped onto the redacted text when something was found. Timed in passes
  // that alternate with passes of annotate alone, so that both see the same machine (it is shared).
  std::size_t redacted = 0;
  for (const auto& m : messages) redacted += rules->redactor().redact(m.text).changed();
  double plain = 0, with_redaction = 0;
  for (int r = 0; r < rounds + 2; ++r) {
    plain = std::max(plain, best_rate(n, 1, [&] {
      for (int k = 0; k < repeat; ++k)
        for (const auto& m : messages) sink += coach::annotate(*rules, m.role, m.text).acts.size();
    }));
    with_redaction = std::max(with_redaction, best_rate(n, 1, [&] {
      for (int k = 0; k < repeat; ++k)
        for (const auto& m : messages) {
          auto a = coach::annotate(*rules, m.role, m.text);
          auto red = rules->redactor().redact(m.text);
          if (red.changed())
            for (auto& sp : a.spans) sink += red.map({sp.begin, sp.end}).end;
          sink += a.acts.size() + red.text.size();
        }
    }));
  }
  std::fprintf(stderr, "\n");
  std::printf("messages: %zu (x%d per pass, best of %d passes), patterns: %zu\n", messages.size(), repeat, rounds,
              rules->pattern_count());
  std::printf("bare RE2::Set::Match on normalized text: %10.0f msg/s\n", bare);
  std::printf("annotate, acts only (normalize+scan):    %10.0f msg/s  ratio %.2f\n", acts_only, acts_only / bare);
  std::printf("annotate with spans (as tact annotate):  %10.0f msg/s  ratio %.2f  (aim: >= 0.50)\n", full, full / bare);
  std::printf("annotate with spans, alternating passes: %10.0f msg/s\n", plain);
  std::printf("annotate with spans and redaction:       %10.0f msg/s  ratio %.2f to annotate with spans (%zu of %zu messages had something to redact, %zu entries)\n",
              with_redaction, with_redaction / plain, redacted, messages.size(), rules->redactor().entries().size());
  return sink == 0 ? 1 : 0;
}
