#pragma once
// Reads every message of the twitter-customer-care files (customer and agent turns) for benchmarks.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "role.hpp"

namespace tact::bench {

struct Message {
  coach::Role role;
  std::string text;
};

inline std::vector<Message> load_messages(const std::vector<std::string>& files) {
  std::vector<Message> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_array()) {
      std::cerr << "bench: cannot read " << f << " as a JSON array of conversations\n";
      std::exit(2);
    }
    for (const auto& conv : j) {
      for (const auto& t : conv.at("dialogContent"))
        out.push_back({t.contains("agent") ? coach::Role::agent : coach::Role::customer, t.at("message").get<std::string>()});
      if (conv.contains("agentURL") && conv["agentURL"].contains("url_utterance"))
        out.push_back({coach::Role::agent, conv["agentURL"]["url_utterance"].get<std::string>()});
    }
  }
  return out;
}

inline std::vector<std::string> default_files(int argc, char** argv) {
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty()) {
    const std::string dir = TACT_DATA_DIR;
    files = {dir + "/dev.json", dir + "/test.json"};
  }
  return files;
}

}  // namespace tact::bench
