#pragma once
// A bare Beast WebSocket echo server (the baseline the gateway is compared with): every text
// frame comes back unchanged. Runs on its own threads until destroyed.
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace tact::bench {

class EchoServer {
 public:
  explicit EchoServer(int threads);
  ~EchoServer();
  unsigned short port() const { return port_; }

 private:
  boost::asio::io_context ioc_;
  unsigned short port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace tact::bench
