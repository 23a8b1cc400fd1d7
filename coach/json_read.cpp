#include "json_read.hpp"

namespace tact::coach {

std::string json_type_name(const nlohmann::json& j) { return j.type_name(); }

std::optional<std::string> JsonReader::string(const nlohmann::json& obj, const char* key, const std::string& field,
                                              bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(field, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    fail(field, std::string("must be a string, not ") + it->type_name());
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::vector<std::string> JsonReader::strings(const nlohmann::json& obj, const char* key, const std::string& field,
                                             bool required) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(field, "is required");
    return out;
  }
  if (!it->is_array()) {
    fail(field, std::string("must be an array of strings, not ") + it->type_name());
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_string()) {
      fail(field + "[" + std::to_string(i) + "]", std::string("must be a string, not ") + v.type_name());
      continue;
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<double> JsonReader::number(const nlohmann::json& obj, const char* key, const std::string& field,
                                         double min, double max) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_number()) {
    fail(field, std::string("must be a number, not ") + it->type_name());
    return std::nullopt;
  }
  const double v = it->get<double>();
  if (!(v >= min && v <= max)) {
    fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> JsonReader::boolean(const nlohmann::json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_boolean()) {
    fail(field, std::string("must be true or false, not ") + it->type_name());
    return std::nullopt;
  }
  return it->get<bool>();
}

}  // namespace tact::coach
