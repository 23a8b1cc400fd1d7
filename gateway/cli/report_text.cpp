#include "report_text.hpp"

namespace tact::cli {

std::string one_line(const std::string& s, std::size_t n) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (out.size() <= n) return out;
  auto cut = n;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return out.substr(0, cut) + "...";
}

}  // namespace tact::cli
