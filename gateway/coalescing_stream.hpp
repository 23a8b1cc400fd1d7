#pragma once
// The layer under each WebSocket: writes are gathered and handed to the socket together.
//
// Why: a coached message sends its author an ack and the message, and its agent the message and
// the coach event. Beast writes each WebSocket message with its own send(), and on loopback every
// send() also runs the receiver's TCP stack and wakes it: the kernel was 42% of the server's CPU.
//
// A write is copied into a buffer and completes at once (posted). While the owner has `cork`ed
// the stream (it has more frames queued), the buffer only grows; `uncork` sends it in one write.
// Writes made uncorked (Beast's own: the handshake, pongs, the close) are sent by a posted flush.
//
// Backpressure is kept: past `kHighWater` bytes the buffer is sent even while corked, and while
// that send is in flight a further write completes only when it is done. A client that reads
// nothing therefore still stalls its WebSocket writes, and its session's queue fills up.
//
// Every asynchronous path holds the shared state, so a send in flight outlives the session.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

namespace tact::gateway {

template <class NextLayer>
class coalescing_stream {
 public:
  using executor_type = typename NextLayer::executor_type;
  static constexpr std::size_t kHighWater = 64 * 1024;

  template <class... Args>
  explicit coalescing_stream(Args&&... args) : s_(std::make_shared<State>(std::forward<Args>(args)...)) {}

  executor_type get_executor() noexcept { return s_->next.get_executor(); }
  NextLayer& next_layer() noexcept { return s_->next; }
  const NextLayer& next_layer() const noexcept { return s_->next; }

  // On the stream's executor only.
  void cork() { s_->corked = true; }
  void uncork() {
    s_->corked = false;
    State::flush(s_);
  }

  template <class MutableBufferSequence, class ReadHandler>
  auto async_read_some(const MutableBufferSequence& buffers, ReadHandler&& handler) {
    return s_->next.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  template <class ConstBufferSequence, class WriteHandler>
  auto async_write_some(const ConstBufferSequence& buffers, WriteHandler&& handler) {
    return boost::asio::async_initiate<WriteHandler, void(boost::beast::error_code, std::size_t)>(
        [s = s_](auto h, const ConstBufferSequence& b) { State::write(s, std::move(h), b); }, handler, buffers);
  }

  // Uncorks, and completes once everything written so far has reached the socket (or failed).
  template <class Handler>
  auto async_drain(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code)>(
        [s = s_](auto h) { State::drain(s, std::move(h)); }, handler);
  }

 private:
  struct State {
    template <class... Args>
    explicit State(Args&&... args) : next(std::forward<Args>(args)...), sent(next.get_executor()) {
      sent.expires_at(std::chrono::steady_clock::time_point::max());
    }

    NextLayer next;
    std::string pending;    // written by Beast, not yet handed to the socket
    std::string sending;    // in the socket write in flight
    bool flushing = false;  // a socket write is in flight
    bool scheduled = false;  // a flush is posted
    bool corked = false;
    boost::beast::error_code failed;
    // Never expires: writes past the high-water mark and drains wait on it, and each finished
    // socket write wakes them all (cancel) to look again.
    boost::asio::steady_timer sent;

    template <class Handler, class ConstBufferSequence>
    static void write(const std::shared_ptr<State>& s, Handler h, const ConstBufferSequence& buffers) {
      if (s->failed) {
        boost::asio::post(s->next.get_executor(), [h = std::move(h), ec = s->failed]() mutable { std::move(h)(ec, 0); });
        return;
      }
      const std::size_t n = boost::asio::buffer_size(buffers);
      const auto old = s->pending.size();
      s->pending.resize(old + n);
      boost::asio::buffer_copy(boost::asio::buffer(s->pending.data() + old, n), buffers);
      const bool full = s->pending.size() > kHighWater;
      if (s->flushing && full) {
        s->sent.async_wait([s, h = std::move(h), n](boost::beast::error_code) mutable {
          std::move(h)(s->failed, s->failed ? 0 : n);
        });
        return;
      }
      if (!s->corked || full) schedule(s);
      boost::asio::post(s->next.get_executor(), [h = std::move(h), n]() mutable { std::move(h)(boost::beast::error_code{}, n); });
    }

    template <class Handler>
    static void drain(const std::shared_ptr<State>& s, Handler h) {
      s->corked = false;
      if (s->failed || (!s->flushing && s->pending.empty())) {
        boost::asio::post(s->next.get_executor(), [h = std::move(h), ec = s->failed]() mutable { std::move(h)(ec); });
        return;
      }
      flush(s);
      s->sent.async_wait([s, h = std::move(h)](boost::beast::error_code) mutable { drain(s, std::move(h)); });
    }

    static void schedule(const std::shared_ptr<State>& s) {
      if (s->scheduled || s->flushing) return;  // a send in flight sends the rest when done
      s->scheduled = true;
      boost::asio::post(s->next.get_executor(), [s] {
        s->scheduled = false;
        flush(s);
      });
    }

    static void flush(const std::shared_ptr<State>& s) {
      if (s->flushing || s->pending.empty() || s->failed) return;
      s->flushing = true;
      s->sending.swap(s->pending);
      s->pending.clear();
      boost::asio::async_write(s->next, boost::asio::buffer(s->sending), [s](boost::beast::error_code ec, std::size_t) {
        s->flushing = false;
        s->sending = std::string();  // an idle connection holds no buffer
        if (ec && !s->failed) s->failed = ec;
        s->sent.cancel();
        if (!s->corked || s->pending.size() > kHighWater) flush(s);
      });
    }
  };

  std::shared_ptr<State> s_;
};

// Beast closes a WebSocket by tearing its stream down: the close frame still in the buffer goes
// out first.
template <class NextLayer>
void teardown(boost::beast::role_type role, coalescing_stream<NextLayer>& stream, boost::beast::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

template <class NextLayer, class TeardownHandler>
void async_teardown(boost::beast::role_type role, coalescing_stream<NextLayer>& stream, TeardownHandler&& handler) {
  enum class Step { drain, teardown, done };
  boost::asio::async_compose<TeardownHandler, void(boost::beast::error_code)>(
      [role, &stream, step = Step::drain](auto& self, boost::beast::error_code ec = {}) mutable {
        switch (step) {
          case Step::drain:
            step = Step::teardown;
            return stream.async_drain(std::move(self));
          case Step::teardown: {
            step = Step::done;
            using boost::beast::websocket::async_teardown;
            return async_teardown(role, stream.next_layer(), std::move(self));
          }
          case Step::done:
            return self.complete(ec);
        }
      },
      handler, stream);
}

}  // namespace tact::gateway
