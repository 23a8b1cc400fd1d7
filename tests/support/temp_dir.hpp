#pragma once
// A fresh directory under the system's temp dir, removed with everything in it by the destructor.
#include <string>

namespace tact::test {

struct TempDir {
  explicit TempDir(const std::string& prefix = "tact-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};

}  // namespace tact::test
