// Annotate throughput on one core, beside a bare RE2::Set::Match of the same patterns over the
// same normalized texts in the same run (one set per role with every pattern and veto, one pass over
// the whole text, whatever the rules' scopes). Prints messages per second and the ratio, and the
// default pack's compile time.
//   bench_annotate [FILES...]   (default: both twitter-customer-care files)
#include <chrono>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>
#include <re2/set.h>

#include "annotator.hpp"
#include "dataset.hpp"
#include "normalize.hpp"
#include "pack_loader.hpp"
#include "redact.hpp"

using namespace tact;
using Clock = std::chrono::steady_clock;

namespace {

// One RE2::Set per role with every pattern and veto of the pack, whatever its scope: the bare cost of
// scanning the pack's patterns once over a text, which annotate is measured against.
std::unique_ptr<RE2::Set> bare_set(const coach::RuleSet& rules, coach::Role role) {
  RE2::Options o;
  o.set_max_mem(64 << 20);
  auto set = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
  auto add = [&](const coach::Rule& r, const std::string& re) {
    set->Add(r.case_sensitive ? "(?:" + re + ")" : "(?i:" + re + ")", nullptr);
  };
  for (const auto& cr : rules.rules()) {
    const auto& r = *cr.rule;
    if (r.role != role) continue;
    for (const auto& p : r.patterns) {
      add(r, p.regex);
      for (const auto& v : p.unless) add(r, v);
    }
    for (const auto& v : r.unless) add(r, v);
  }
  set->Compile();
  return set;
}

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
  // Compile time of the default pack (best of 5), the figure a live publish waits for.
  double compile_ms = 1e9;
  const auto pack = nlohmann::json::parse(cli::default_pack_text());
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    auto compiled = coach::compile(pack);
    compile_ms = std::min(compile_ms, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!compiled.rules) return 2;
  }
  const auto messages = bench::load_messages(bench::default_files(argc, argv));
  std::vector<std::string> normalized;
  for (const auto& m : messages) normalized.push_back(coach::normalize(m.text).text);
  // Each pass covers the corpus this many times, so a pass lasts long enough to time.
  const std::unique_ptr<RE2::Set> bare_sets[] = {bare_set(*rules, coach::Role::customer), bare_set(*rules, coach::Role::agent)};
  const int repeat = 20, rounds = 5;
  const std::size_t n = messages.size() * repeat;
  std::size_t sink = 0;

  const double bare = best_rate(n, rounds, [&] {
    std::vector<int> hits;
    for (int k = 0; k < repeat; ++k)
      for (std::size_t i = 0; i < messages.size(); ++i) {
        hits.clear();
        bare_sets[messages[i].role == coach::Role::customer ? 0 : 1]->Match(normalized[i], &hits);
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
  std::printf("pack compile time: %.1f ms (limit 100)\n", compile_ms);
  std::printf("bare RE2::Set::Match on normalized text: %10.0f msg/s\n", bare);
  std::printf("annotate, acts only (normalize+scan):    %10.0f msg/s  ratio %.2f\n", acts_only, acts_only / bare);
  std::printf("annotate with spans (as tact annotate):  %10.0f msg/s  ratio %.2f  (aim: >= 0.50)\n", full, full / bare);
  std::printf("annotate with spans, alternating passes: %10.0f msg/s\n", plain);
  std::printf("annotate with spans and redaction:       %10.0f msg/s  ratio %.2f to annotate with spans (%zu of %zu messages had something to redact, %zu entries)\n",
              with_redaction, with_redaction / plain, redacted, messages.size(), rules->redactor().entries().size());
  return sink == 0 ? 1 : 0;
}
