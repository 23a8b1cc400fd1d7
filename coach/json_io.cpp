#include "json_io.hpp"

namespace tact::coach {

void to_json(nlohmann::json& j, const Span& s) {
  j = nlohmann::json{{"begin", s.begin}, {"end", s.end}, {"act", s.act}, {"rule", s.rule}};
}

void to_json(nlohmann::json& j, const Annotation& a) {
  j = nlohmann::json{{"acts", a.acts}, {"rules", a.rules}, {"spans", a.spans}};
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace tact::coach
