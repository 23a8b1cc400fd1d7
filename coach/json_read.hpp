#pragma once
// Checked reads from untrusted JSON: a wrong or missing field becomes a Problem, never an exception.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "problem.hpp"

namespace tact::coach {

class JsonReader {
 public:
  JsonReader(std::vector<Problem>& problems, std::string rule_id) : problems_(problems), rule_id_(std::move(rule_id)) {}

  void fail(std::string field, std::string reason) { problems_.push_back({rule_id_, std::move(field), std::move(reason), {}}); }

  std::optional<std::string> string(const nlohmann::json& obj, const char* key, const std::string& field, bool required);
  std::vector<std::string> strings(const nlohmann::json& obj, const char* key, const std::string& field, bool required);
  std::optional<double> number(const nlohmann::json& obj, const char* key, const std::string& field, double min, double max);
  std::optional<bool> boolean(const nlohmann::json& obj, const char* key, const std::string& field);

 private:
  std::vector<Problem>& problems_;
  std::string rule_id_;
};

std::string json_type_name(const nlohmann::json& j);

}  // namespace tact::coach
