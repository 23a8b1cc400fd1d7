#include "integrations/chatwoot/receiver.hpp"

#include "integrations/chatwoot/webhook.hpp"
#include "obs/log.hpp"
#include "protocol/json_limits.hpp"

namespace tact::gateway::chatwoot {
namespace {

using nlohmann::json;

constexpr int kMaxRounds = 100;  // reopened more often than this: the last round takes the rest

WebhookAnswer refuse(int status, const std::string& code, const std::string& message) {
  return {status, json{{"error", code}, {"message", message}}};
}

}  // namespace

std::string conversation_base(const std::string& integration, std::int64_t conversation) {
  return "chatwoot:" + integration + ":" + std::to_string(conversation);
}

std::string agent_sub(const std::string& integration, std::int64_t user) {
  return integration_agent_sub(Integration{integration, "chatwoot", {}, 0, {}, {}, false, 0}, user);
}

std::string Receiver::current_round(const std::string& base) {
  std::string id = base;
  for (int round = 1; round <= kMaxRounds; ++round) {
    id = round == 1 ? base : base + "." + std::to_string(round);
    auto f = relay_.facts(id);
    if (!f || f->open) return id;
  }
  return id;
}

void Receiver::handle(const WebhookRequest& req, std::function<void(WebhookAnswer)> done) {
  const auto integration = check_integration_name(req.integration).empty() ? store_.find(req.integration) : std::nullopt;
  auto answer = [this, done, name = req.integration](WebhookAnswer a, const std::string& outcome) {
    metrics_.count_webhook(outcome);
    log_event("webhook", {{"integration", name.substr(0, 32)}, {"outcome", outcome}, {"status", a.status}});
    done(std::move(a));
  };
  if (!integration || integration->platform != "chatwoot")
    return answer(refuse(404, "not_found", "no Chatwoot integration of that name: add it with `tact integrations add chatwoot`"),
                  "unknown_integration");
  const auto check = verify(integration->webhook_secret, req.timestamp, req.signature, req.body, now_() / 1000);
  if (check != SignatureCheck::ok) {
    const char* why = check == SignatureCheck::missing ? "the X-Chatwoot-Signature and X-Chatwoot-Timestamp headers are required: give the webhook a secret in Chatwoot"
                      : check == SignatureCheck::stale ? "X-Chatwoot-Timestamp is more than 5 minutes away from this server's clock: check both clocks (NTP)"
                                                       : "X-Chatwoot-Signature does not match: the webhook's secret in Chatwoot and this integration's differ";
    return answer(refuse(401, std::string(to_string(check)), why), std::string(to_string(check)));
  }
  const auto body = parse_untrusted(req.body);
  if (!body.is_object()) return answer(refuse(400, "bad_json", "the body must be a JSON object"), "bad_json");
  auto parsed = parse_webhook(body);
  if (!parsed.event) return answer(refuse(400, "bad_field", parsed.error), "bad_field");
  const WebhookEvent e = std::move(*parsed.event);
  if (e.account && e.account != integration->account)
    return answer(refuse(403, "wrong_account", "this webhook is from Chatwoot account " + std::to_string(e.account) +
                                                  ", the integration is for account " + std::to_string(integration->account)),
                  "wrong_account");
  if (e.action == Action::ignore) return answer({200, json{{"ignored", e.reason}, {"event", e.event}}}, "ignored");

  // A retry of a delivery already handled is answered, not handled again.
  const std::string delivery = req.delivery.substr(0, kMaxDeliveryIdBytes);
  if (!delivery.empty() && store_.claim_delivery(integration->name, delivery, now_()) == DeliveryClaim::seen)
    return answer({200, json{{"duplicate", true}, {"delivery", delivery}}}, "duplicate");
  auto release = [this, name = integration->name, delivery] {
    if (!delivery.empty()) store_.release_delivery(name, delivery);
  };

  const Identity host{UserRole::supervisor, "chatwoot:" + integration->name, "Chatwoot " + integration->name};
  const std::string base = conversation_base(integration->name, e.conversation);
  const std::string id = current_round(base);

  if (e.action == Action::close || e.action == Action::assign) {
    if (!relay_.facts(id)) {
      release();
      return answer({200, json{{"ignored", "Tact has no open conversation for it yet"}, {"event", e.event}}}, "ignored");
    }
    auto r = e.action == Action::close ? relay_.close_api(host, id) : relay_.reassign_api(host, id, agent_sub(integration->name, e.assignee));
    if (r.status >= 500) release();
    return answer({r.status, r.body}, e.action == Action::close ? "closed" : "assigned");
  }

  const bool customer = e.action == Action::coach_customer;
  PostedEvent event;
  event.role = customer ? coach::Role::customer : coach::Role::agent;
  event.text = e.text;
  event.at = e.at_ms > 0 ? e.at_ms : now_();
  event.name = e.sender_name;
  if (!customer && e.sender_id) event.author_sub = agent_sub(integration->name, e.sender_id);
  event.client_id = "chatwoot-message-" + std::to_string(e.message);
  if (e.assignee) event.agent = agent_sub(integration->name, e.assignee);
  else if (!customer && e.sender_id) event.agent = agent_sub(integration->name, e.sender_id);
  std::optional<NoteJob> note;
  if (customer && integration->notes && notes_)
    note = NoteJob{integration->name, integration->url, integration->account, e.conversation, integration->api_token, {}};
  relay_.post_event(host, id, std::move(event), [answer, release, note, notes = notes_, id](EventResult r) {
    if (r.status != 200) {
      if (r.status >= 500) release();
      return answer({r.status, r.body}, "refused_" + std::to_string(r.status));
    }
    const bool duplicate = r.body.value("duplicate", false);
    if (note && !duplicate) {
      auto job = *note;
      job.content = note_content(r.body);
      if (!job.content.empty()) notes->post(std::move(job));
    }
    answer({200, json{{"conversation", id}, {"id", r.body.value("id", "")}, {"coached", !duplicate}}}, duplicate ? "duplicate" : "coached");
  });
}

}  // namespace tact::gateway::chatwoot
