#pragma once
// The header of a WebSocket frame a server sends (RFC 6455 5.2): final, text, unmasked, with
// the payload length in 1, 2 or 8 bytes. The session writes its messages' frames itself (see
// websocket_session::pump); Beast still writes its own (handshake, pongs, close).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tact::gateway {

struct FrameHeader {
  char bytes[10];
  std::size_t size = 0;
  std::string_view view() const { return {bytes, size}; }
};

inline FrameHeader text_frame_header(std::size_t payload) {
  FrameHeader h;
  h.bytes[0] = static_cast<char>(0x81);  // FIN, opcode 1 (text)
  if (payload < 126) {
    h.bytes[1] = static_cast<char>(payload);
    h.size = 2;
  } else if (payload < 65536) {
    h.bytes[1] = 126;
    h.bytes[2] = static_cast<char>(payload >> 8);
    h.bytes[3] = static_cast<char>(payload & 0xff);
    h.size = 4;
  } else {
    h.bytes[1] = 127;
    for (int i = 0; i < 8; ++i) h.bytes[2 + i] = static_cast<char>((static_cast<std::uint64_t>(payload) >> (56 - 8 * i)) & 0xff);
    h.size = 10;
  }
  return h;
}

}  // namespace tact::gateway
