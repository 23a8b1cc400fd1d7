#pragma once
// The RE2 options every compiled pattern of the coach uses: no logging, a memory cap, and the
// case sensitivity the rule or entry asks for.
#include <cstdint>

#include <re2/re2.h>

namespace tact::coach {

inline RE2::Options regex_options(bool case_sensitive, std::int64_t max_mem) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(case_sensitive);
  o.set_max_mem(max_mem);
  return o;
}

}  // namespace tact::coach
