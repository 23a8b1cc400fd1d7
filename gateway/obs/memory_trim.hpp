#pragma once
// After many connections close, glibc keeps the memory they freed in its arenas, so the server's
// RSS stayed at its peak (95 MB after 10,000 connections had come and gone). On the health tick,
// once the open connections fall well below their peak, malloc_trim gives that memory back.
#include <algorithm>
#include <cstddef>

namespace tact::gateway {

class MemoryTrim {
 public:
  // `open`: connections open now. True when it is time to trim (then the peak restarts here).
  bool due(std::size_t open) {
    peak_ = std::max(peak_, open);
    if (peak_ - open < kDrop || open > peak_ / 2) return false;
    peak_ = open;
    return true;
  }

 private:
  static constexpr std::size_t kDrop = 1000;  // fewer closed connections are not worth a trim
  std::size_t peak_ = 0;
};

}  // namespace tact::gateway
