#include "traffic.hpp"

#include <algorithm>
#include <cstdio>

#include "auth/jwt.hpp"

namespace tact::bench {

using nlohmann::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kCustomerTexts = {
    "My order #4411 still has not arrived and nobody answers, this is ridiculous",
    "I have been waiting for two weeks now",
    "ok",
    "It was supposed to be a birthday present",
    "My refund never came either, I want my money back",
    "thanks",
};
const std::vector<std::string> kAgentTexts = {
    "I see your order #4411 has not arrived yet.",
    "I am so sorry for the trouble this caused.",
    "I will look into this myself right now.",
    "That must be really frustrating, I understand.",
    "I have sent a replacement by express shipping today.",
    "Is there anything else I can help you with?",
};

AsyncWs::AsyncWs(net::io_context& ioc) : ws_(ioc) {}

void AsyncWs::start(unsigned short port, std::string target, std::function<void(beast::error_code)> ready, OnFrame on_frame,
                    OnEnd on_end) {
  on_frame_ = std::move(on_frame);
  on_end_ = std::move(on_end);
  auto& lowest = beast::get_lowest_layer(ws_);
  lowest.expires_after(std::chrono::seconds(30));
  lowest.async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port},
                       [self = shared_from_this(), target = std::move(target), ready](beast::error_code ec) mutable {
                         if (ec) return ready(ec);
                         beast::error_code ignored;  // as a browser does: no Nagle delay on a chat socket
                         beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true), ignored);
                         self->ws_.async_handshake("127.0.0.1", target, [self, ready](beast::error_code e) {
                           beast::get_lowest_layer(self->ws_).expires_never();
                           if (!e && !self->ended_) {
                             self->open_ = true;
                             self->do_read();
                             if (!self->out_.empty()) self->do_write();
                           }
                           ready(e);
                         });
                       });
}

void AsyncWs::do_read() {
  ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->end(ec);
    const auto text = beast::buffers_to_string(self->in_.data());
    auto j = self->shallow_ ? json::parse(
                                  text,
                                  [](int depth, json::parse_event_t event, json&) {
                                    return depth < 1 || (event != json::parse_event_t::object_start &&
                                                         event != json::parse_event_t::array_start);
                                  },
                                  false)
                            : json::parse(text, nullptr, false);
    self->in_.consume(self->in_.size());
    if (self->on_frame_) self->on_frame_(j);
    if (self->open_) self->do_read();
  });
}

void AsyncWs::send(std::string text) {
  if (ended_) return;
  out_.push_back(std::move(text));
  if (open_ && out_.size() == 1) do_write();
}

void AsyncWs::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec || self->ended_) return self->end(ec);
    self->out_.pop_front();
    if (!self->out_.empty() && self->open_) self->do_write();
  });
}

// The queue is kept: a write in flight still reads its front.
void AsyncWs::end(beast::error_code ec) {
  if (ended_) return;
  ended_ = true;
  if (!open_) return;
  open_ = false;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  if (on_end_) on_end_(ec);
}

void AsyncWs::close() { end(net::error::operation_aborted); }

std::string tagged(const std::string& text, std::uint64_t tag) { return text + " [t" + std::to_string(tag) + "]"; }

std::uint64_t tag_of(const std::string& text) {
  const auto at = text.rfind(" [t");
  if (at == std::string::npos || text.back() != ']') return 0;
  const std::string digits = text.substr(at + 3, text.size() - at - 4);
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoull(digits);
}

std::string make_token(const std::string& secret, const std::string& role, const std::string& sub, long long ttl_s) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return gateway::sign_token({*gateway::parse_user_role(role), sub, sub, now + ttl_s}, secret);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Traffic::Traffic(net::io_context& ioc, TrafficOptions o) : ioc_(ioc), o_(std::move(o)), timer_(ioc) {}

bool Traffic::connect(std::chrono::milliseconds timeout) {
  pairs_.resize(static_cast<std::size_t>(o_.conversations));
  int ready = 0, failed = 0;
  auto done = [&](beast::error_code ec) {
    if (ec) std::fprintf(stderr, "traffic: cannot connect: %s\n", ec.message().c_str());
    ec ? ++failed : ++ready;
  };
  auto on_end = [this](beast::error_code) { ++disconnects_; };
  const auto deadline = Clock::now() + timeout;
  auto wait_for = [&](int n) {
    while (ready + failed < n && Clock::now() < deadline) {
      if (ioc_.stopped()) ioc_.restart();  // it ran out of work earlier (an earlier Traffic closed)
      ioc_.run_for(std::chrono::milliseconds(20));
    }
    return ready == n;
  };
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    auto& p = pairs_[i];
    p.agent = std::make_shared<AsyncWs>(ioc_);
    p.agent->shallow(true);
    p.agent->start(port_for(i, 1), "/ws?token=" + make_token(o_.secret, "agent", o_.prefix + "-a" + std::to_string(i)), done,
                   [this, i](const json& j) {
                     if (!j.is_object()) return;
                     const auto type = j.value("type", "");
                     if (type == "error") ++errors_;
                     if (type == "message" && j.value("role", "") == "customer") {
                       coach_for_[j.value("id", "")] = tag_of(j.value("text", ""));
                     } else if (type == "coach" && j.value("role", "") == "customer") {
                       const auto conv = j.value("conversation", "");
                       const auto it = coach_for_.find(j.value("message_id", ""));
                       if (it != coach_for_.end()) {
                         if (auto s = sent_.find(it->second); s != sent_.end()) {
                           latencies_.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s->second).count());
                           sent_.erase(s);
                         }
                         coach_for_.erase(it);
                       }
                       ++coached_;
                       auto& mine = pairs_[i];
                       mine.agent->send(json{{"type", "message"},
                                             {"conversation", conv},
                                             {"text", kAgentTexts[static_cast<std::size_t>(mine.step) % kAgentTexts.size()]},
                                             {"client_id", "a" + std::to_string(next_tag_++)}}
                                            .dump());
                     } else if (type == "coach") {
                       ++coached_;
                     }
                   },
                   on_end);
  }
  if (!wait_for(o_.conversations)) return false;
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    auto& p = pairs_[i];
    p.customer = std::make_shared<AsyncWs>(ioc_);
    p.customer->shallow(true);
    p.customer->start(port_for(i, 0), "/ws?token=" + make_token(o_.secret, "customer", o_.prefix + "-c" + std::to_string(i)), done,
                      [this, i](const json& j) {
                        if (!j.is_object()) return;
                        const auto type = j.value("type", "");
                        auto& me = pairs_[i];
                        if (type == "error") ++errors_;
                        if (type == "ack") me.conversation = j.value("conversation", "");
                        if (type == "message" && j.value("role", "") == "agent") {
                          me.waiting = false;
                          ++me.step;
                          if (running_ && o_.rate <= 0) customer_send(me);
                        }
                      },
                      on_end);
  }
  return wait_for(2 * o_.conversations);
}

unsigned short Traffic::port_for(std::size_t conversation, std::size_t shift) const {
  if (o_.ports.empty()) return o_.port;
  return o_.ports[(conversation + shift) % o_.ports.size()];
}

void Traffic::customer_send(Pair& p) {
  if (!p.customer->open()) return;
  const auto tag = next_tag_++;
  sent_[tag] = Clock::now();
  p.waiting = true;
  p.since = sent_[tag];
  p.customer->send(json{{"type", "message"},
                        {"text", tagged(kCustomerTexts[static_cast<std::size_t>(p.step) % kCustomerTexts.size()], tag)},
                        {"client_id", "k" + std::to_string(tag)}}
                       .dump());
}

void Traffic::start() {
  running_ = true;
  last_tick_ = Clock::now();
  if (o_.rate <= 0) {
    for (auto& p : pairs_) customer_send(p);
    return;
  }
  tick();
}

void Traffic::tick() {
  if (!running_) return;
  const auto now = Clock::now();
  credit_ += std::chrono::duration<double>(now - last_tick_).count() * o_.rate / 2;  // half are the agents' replies
  last_tick_ = now;
  credit_ = std::min(credit_, static_cast<double>(pairs_.size()));
  for (std::size_t n = 0; n < pairs_.size() && credit_ >= 1; ++n) {
    auto& p = pairs_[cursor_];
    cursor_ = (cursor_ + 1) % pairs_.size();
    if (p.waiting && now - p.since > std::chrono::seconds(5)) p.waiting = false;  // dropped or refused
    if (p.waiting) continue;
    customer_send(p);
    credit_ -= 1;
  }
  for (auto it = sent_.begin(); it != sent_.end() && now - it->second > std::chrono::seconds(5);) it = sent_.erase(it);
  timer_.expires_after(std::chrono::milliseconds(1));  // small bursts: a burst queues behind itself
  timer_.async_wait([this](beast::error_code ec) {
    if (!ec) tick();
  });
}

void Traffic::stop() {
  running_ = false;
  timer_.cancel();
}

void Traffic::close() {
  stop();
  for (auto& p : pairs_) {
    if (p.customer) p.customer->close();
    if (p.agent) p.agent->close();
  }
}

std::vector<double> Traffic::take_latencies() {
  std::vector<double> out;
  out.swap(latencies_);
  return out;
}

}  // namespace tact::bench
