#pragma once
// The layer under each WebSocket: what is written is gathered and handed to the socket together.
//
// Why: a coached message sends its author an ack and the message, and its agent the message and
// the coach event. Written one by one, each is its own send(), and on loopback every send() also
// runs the receiver's TCP stack and wakes it: the kernel was 42% of the server's CPU.
//
// The session appends its messages' frames whole (`append`, header and payload) and calls
// `flush` once its queue is empty: everything queued leaves in one write. Beast's own writes (the
// handshake, pongs, the close) are copied into the same buffer, complete at once (posted), and
// are sent by a posted flush, after whatever was appended before them.
//
// Backpressure is kept: past `kHighWater` bytes the buffer is sent at once, and while that send
// is in flight `append` refuses (wait with `async_wait_sent`) and a Beast write completes only
// when it is done. A client that reads nothing therefore stalls its session, whose queue fills.
//
// Every asynchronous path holds the shared state, so a send in flight outlives the session.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
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

  // On the stream's executor only. Appends one whole frame; false, appending nothing, while the
  // buffer is past the high-water mark and a send is in flight.
  bool append(std::string_view header, std::string_view payload) {
    auto& st = *s_;
    if (st.pending.size() > kHighWater) {
      if (st.flushing) return false;
      State::flush(s_);
    }
    if (!st.failed) st.pending.append(header).append(payload);  // failed: the read side reports it
    return true;
  }
  // Sends what is held, unless a send is in flight (it sends the rest when done).
  void flush() { State::flush(s_); }
  // Completes once the send in flight is done (at once if there is none), with its error if any.
  template <class Handler>
  auto async_wait_sent(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code)>(
        [s = s_](auto h) {
          if (!s->flushing) {
            boost::asio::post(s->next.get_executor(), [h = std::move(h), ec = s->failed]() mutable { std::move(h)(ec); });
            return;
          }
          s->sent.async_wait([s, h = std::move(h)](boost::beast::error_code) mutable { std::move(h)(s->failed); });
        },
        handler);
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

  // Completes once everything written so far has reached the socket (or failed).
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
    std::string pending;    // appended or written by Beast, not yet handed to the socket
    std::string sending;    // in the socket write in flight
    bool flushing = false;  // a socket write is in flight
    bool scheduled = false;  // a flush is posted
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
      schedule(s);
      boost::asio::post(s->next.get_executor(), [h = std::move(h), n]() mutable { std::move(h)(boost::beast::error_code{}, n); });
    }

    template <class Handler>
    static void drain(const std::shared_ptr<State>& s, Handler h) {
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
        flush(s);
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
