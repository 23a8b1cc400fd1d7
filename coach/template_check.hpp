#pragma once
// A suggested reply must count for the step it is offered for: each template variant, filled with
// sample details, is annotated as the agent would send it and must be one of its step's acts and
// none of the acts that spoil the step or raise a flag. compile() refuses a pack that fails this.
#include <vector>

#include "problem.hpp"

namespace tact::coach {

class RuleSet;

// The details a variant is filled with for the check.
inline constexpr const char* kSampleName = "Dana";
inline constexpr const char* kSampleOrder = "#4411";
inline constexpr const char* kSampleProduct = "phone";
inline constexpr const char* kSampleProblem = "your order hasn't arrived";

std::vector<Problem> check_templates(const RuleSet& rules);

}  // namespace tact::coach
