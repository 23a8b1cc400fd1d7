#include "store/postgres/pg_privacy.hpp"

namespace tact::gateway::pg {

ConversationRecord read_conversation(const Result& r, int i) {
  ConversationRecord c{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5), std::nullopt};
  if (!r.is_null(i, 6)) c.closed_at = r.integer(i, 6);
  return c;
}

MessageRecord read_message(const Result& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.integer(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
          r.text(i, 6), r.integer(i, 7), r.text(i, 8), r.text(i, 9), r.text(i, 10)};
}

WhisperRecord read_whisper(const Result& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5)};
}

namespace {

std::string select(const char* columns, const char* rest) { return std::string("SELECT ") + columns + " " + rest; }

// Its messages, whispers and row; counts what went.
bool delete_conversation(Connection& db, const std::string& id, std::int64_t& messages, std::int64_t& whispers) {
  Params p;
  p.add(id);
  auto m = db.exec("DELETE FROM messages WHERE conversation=$1", p);
  auto w = db.exec("DELETE FROM whispers WHERE conversation=$1", p);
  // The review quotes the messages and the rating may hold the customer's words: they go too.
  auto v = db.exec("DELETE FROM reviews WHERE conversation=$1", p);
  auto r = db.exec("DELETE FROM ratings WHERE conversation=$1", p);
  auto f = db.exec("DELETE FROM coach_feedback WHERE conversation=$1", p);
  auto c = db.exec("DELETE FROM conversations WHERE id=$1", p);
  if (!m.ok() || !w.ok() || !v.ok() || !r.ok() || !f.ok() || !c.ok()) return false;
  messages += m.affected();
  whispers += w.affected();
  return true;
}

}  // namespace

CustomerData read_customer(Connection& db, const std::string& customer) {
  CustomerData out;
  if (customer.empty()) return out;
  db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  Params p;
  p.add(customer);
  auto convs = db.exec(select(kConversationColumns, "FROM conversations WHERE customer=$1 ORDER BY n").c_str(), p);
  for (int i = 0; i < convs.rows(); ++i) out.conversations.push_back(read_conversation(convs, i));
  for (const auto& c : out.conversations) {
    Params q;
    q.add(c.id);
    auto m = db.exec(select(kMessageColumns, "FROM messages WHERE conversation=$1 ORDER BY seq").c_str(), q);
    for (int i = 0; i < m.rows(); ++i) out.messages.push_back(read_message(m, i));
    auto w = db.exec(select(kWhisperColumns, "FROM whispers WHERE conversation=$1 ORDER BY n").c_str(), q);
    for (int i = 0; i < w.rows(); ++i) out.whispers.push_back(read_whisper(w, i));
  }
  db.exec("COMMIT");
  return out;
}

bool erase_customer(Connection& db, const std::string& customer, ErasureRecord& audit) {
  audit.conversations = audit.messages = audit.whispers = 0;
  if (customer.empty()) return false;
  Params p;
  p.add(customer);
  auto ids = db.exec("SELECT id FROM conversations WHERE customer=$1 FOR UPDATE", p);
  if (!ids.ok()) return false;
  for (int i = 0; i < ids.rows(); ++i)
    if (!delete_conversation(db, ids.text(i, 0), audit.messages, audit.whispers)) return false;
  audit.conversations = ids.rows();
  Params a;
  a.add(audit.at).add(audit.who).add(audit.customer).add(audit.conversations).add(audit.messages).add(audit.whispers);
  return db.exec("INSERT INTO data_audit(at, who, action, customer, conversations, messages, whispers) "
                 "VALUES($1,$2,'erase',$3,$4,$5,$6)", a).ok();
}

bool purge_closed(Connection& db, std::int64_t closed_before, std::size_t max, std::size_t& removed) {
  removed = 0;
  Params p;
  p.add(closed_before).add(static_cast<std::int64_t>(max));
  auto ids = db.exec("SELECT id FROM conversations WHERE closed_at IS NOT NULL AND closed_at < $1 "
                     "ORDER BY closed_at LIMIT $2 FOR UPDATE", p);
  if (!ids.ok()) return false;
  std::int64_t messages = 0, whispers = 0;
  for (int i = 0; i < ids.rows(); ++i)
    if (!delete_conversation(db, ids.text(i, 0), messages, whispers)) return false;
  removed = static_cast<std::size_t>(ids.rows());
  return true;
}

std::vector<ErasureRecord> read_erasures(Connection& db) {
  std::vector<ErasureRecord> out;
  auto r = db.exec("SELECT at, who, customer, conversations, messages, whispers FROM data_audit ORDER BY n");
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.integer(i, 4), r.integer(i, 5)});
  return out;
}

bool rewrite_texts(Connection& db, const TextRewrite& rewrite, std::size_t& changed) {
  changed = 0;
  auto m = db.exec("SELECT conversation, seq, text, coach FROM messages FOR UPDATE");
  if (!m.ok()) return false;
  for (int i = 0; i < m.rows(); ++i) {
    std::string text = m.text(i, 2), coach = m.text(i, 3);
    if (!rewrite(text, &coach)) continue;
    const auto conversation = m.text(i, 0);
    Params p;
    p.add(text).add(coach).add(conversation).add(m.integer(i, 1));
    if (!db.exec("UPDATE messages SET text=$1, coach=$2 WHERE conversation=$3 AND seq=$4", p).ok()) return false;
    ++changed;
  }
  auto w = db.exec("SELECT n, text FROM whispers FOR UPDATE");
  if (!w.ok()) return false;
  for (int i = 0; i < w.rows(); ++i) {
    std::string text = w.text(i, 1);
    if (!rewrite(text, nullptr)) continue;
    Params p;
    p.add(text).add(w.integer(i, 0));
    if (!db.exec("UPDATE whispers SET text=$1 WHERE n=$2", p).ok()) return false;
    ++changed;
  }
  return true;
}

}  // namespace tact::gateway::pg
