#include "store/sqlite/sqlite_privacy.hpp"

#include <optional>

namespace tact::gateway::privacy {

const char* const kPrivacySchema = R"sql(
CREATE TABLE IF NOT EXISTS data_audit(
  at INTEGER NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, customer TEXT NOT NULL,
  conversations INTEGER NOT NULL, messages INTEGER NOT NULL, whispers INTEGER NOT NULL);
)sql";

namespace {

struct Counts {
  std::int64_t messages = 0, whispers = 0;
};

// A conversation and everything in it: its messages along their chain (rowids only go down),
// then any row the chain missed, its whispers, and its row.
bool delete_conversation(Database& db, const std::string& id, bool sweep, Counts& counts) {
  auto head = db.prepare("SELECT last_message FROM conversations WHERE id=?");
  auto prev = db.prepare("SELECT prev FROM messages WHERE rowid=?");
  auto del = db.prepare("DELETE FROM messages WHERE rowid=?");
  if (!head.ok() || !prev.ok() || !del.ok()) return false;
  head.bind(1, id);
  std::optional<std::int64_t> next;
  if (head.step() == SQLITE_ROW && !head.is_null(0)) next = head.integer(0);
  head.reset();
  while (next) {
    prev.bind(1, *next);
    const int rc = prev.step();
    std::optional<std::int64_t> before;
    if (rc == SQLITE_ROW && !prev.is_null(0) && prev.integer(0) < *next) before = prev.integer(0);
    prev.reset();
    if (rc != SQLITE_ROW) break;
    del.bind(1, *next);
    if (del.step() != SQLITE_DONE) return false;
    del.reset();
    counts.messages += sqlite3_changes(db.handle());
    next = before;
  }
  auto step = [&](const char* sql, std::int64_t* count) {
    auto st = db.prepare(sql);
    if (!st.ok()) return false;
    st.bind(1, id);
    if (st.step() != SQLITE_DONE) return false;
    if (count) *count += sqlite3_changes(db.handle());
    return true;
  };
  if (sweep && !step("DELETE FROM messages WHERE conversation=?", &counts.messages)) return false;
  // The review quotes the messages and the rating may hold the customer's words: they go too.
  return step("DELETE FROM whispers WHERE conversation=?", &counts.whispers) && step("DELETE FROM reviews WHERE conversation=?", nullptr) &&
         step("DELETE FROM ratings WHERE conversation=?", nullptr) && step("DELETE FROM coach_feedback WHERE conversation=?", nullptr) &&
         step("DELETE FROM conversations WHERE id=?", nullptr);
}

ConversationRecord read_conversation(const Statement& st) {
  ConversationRecord c{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5), std::nullopt};
  if (!st.is_null(6)) c.closed_at = st.integer(6);
  return c;
}

}  // namespace

CustomerData read_customer(Database& db, const std::string& customer) {
  CustomerData out;
  if (customer.empty() || !db.exec("BEGIN")) return out;
  auto convs = db.prepare("SELECT * FROM conversations WHERE customer=? ORDER BY rowid");
  auto msgs = db.prepare("SELECT * FROM messages WHERE conversation=? ORDER BY seq");
  auto whispers = db.prepare("SELECT * FROM whispers WHERE conversation=? ORDER BY rowid");
  if (convs.ok() && msgs.ok() && whispers.ok()) {
    convs.bind(1, customer);
    while (convs.step() == SQLITE_ROW) out.conversations.push_back(read_conversation(convs));
    for (const auto& c : out.conversations) {
      msgs.bind(1, c.id);
      while (msgs.step() == SQLITE_ROW)
        out.messages.push_back({msgs.text(0), msgs.text(2), msgs.integer(1), msgs.text(3), msgs.text(4), msgs.text(5), msgs.text(6),
                                msgs.integer(7), msgs.text(8), msgs.text(9), msgs.text(10)});
      msgs.reset();
      whispers.bind(1, c.id);
      while (whispers.step() == SQLITE_ROW)
        out.whispers.push_back({whispers.text(0), whispers.text(1), whispers.text(2), whispers.text(3), whispers.text(4), whispers.integer(5)});
      whispers.reset();
    }
  }
  db.exec("COMMIT");
  return out;
}

bool erase_customer(Database& db, const std::string& customer, ErasureRecord& audit) {
  audit.conversations = audit.messages = audit.whispers = 0;
  if (customer.empty()) return false;
  std::vector<std::string> ids;
  {
    auto st = db.prepare("SELECT id FROM conversations WHERE customer=?");
    if (!st.ok()) return false;
    st.bind(1, customer);
    while (st.step() == SQLITE_ROW) ids.push_back(st.text(0));
  }
  Counts counts;
  for (const auto& id : ids)
    if (!delete_conversation(db, id, true, counts)) return false;
  audit.conversations = static_cast<std::int64_t>(ids.size());
  audit.messages = counts.messages;
  audit.whispers = counts.whispers;
  auto ins = db.prepare("INSERT INTO data_audit VALUES(?,?,'erase',?,?,?,?)");
  if (!ins.ok()) return false;
  ins.bind(1, audit.at).bind(2, audit.who).bind(3, audit.customer).bind(4, audit.conversations).bind(5, audit.messages)
      .bind(6, audit.whispers);
  return ins.step() == SQLITE_DONE;
}

bool purge_closed(Database& db, std::int64_t closed_before, std::size_t max, std::size_t& removed) {
  removed = 0;
  std::vector<std::string> ids;
  {
    auto st = db.prepare("SELECT id FROM conversations WHERE closed_at IS NOT NULL AND closed_at < ? ORDER BY closed_at LIMIT ?");
    if (!st.ok()) return false;
    st.bind(1, closed_before).bind(2, static_cast<std::int64_t>(max));
    while (st.step() == SQLITE_ROW) ids.push_back(st.text(0));
  }
  Counts counts;
  for (const auto& id : ids)
    if (!delete_conversation(db, id, false, counts)) return false;
  removed = ids.size();
  return true;
}

bool rewrite_texts(Database& db, const TextRewrite& rewrite, std::size_t& changed) {
  changed = 0;
  struct Row {
    std::int64_t rowid;
    std::string text, coach;
  };
  for (const bool messages : {true, false}) {
    std::vector<Row> rows;
    {
      auto st = db.prepare(messages ? "SELECT rowid, text, coach FROM messages" : "SELECT rowid, text, '' FROM whispers");
      if (!st.ok()) return false;
      int rc;
      while ((rc = st.step()) == SQLITE_ROW) {
        Row r{st.integer(0), st.text(1), st.text(2)};
        if (rewrite(r.text, messages ? &r.coach : nullptr)) rows.push_back(std::move(r));
      }
      if (rc != SQLITE_DONE) return false;
    }
    auto up = db.prepare(messages ? "UPDATE messages SET text=?, coach=? WHERE rowid=?" : "UPDATE whispers SET text=? WHERE rowid=?");
    if (!up.ok()) return false;
    for (const auto& r : rows) {
      up.bind(1, r.text);
      if (messages) up.bind(2, r.coach).bind(3, r.rowid);
      else up.bind(2, r.rowid);
      if (up.step() != SQLITE_DONE) return false;
      up.reset();
      ++changed;
    }
  }
  return true;
}

std::vector<ErasureRecord> read_erasures(Database& db) {
  std::vector<ErasureRecord> out;
  auto st = db.prepare("SELECT at, who, customer, conversations, messages, whispers FROM data_audit ORDER BY rowid");
  while (st.ok() && st.step() == SQLITE_ROW)
    out.push_back({st.integer(0), st.text(1), st.text(2), st.integer(3), st.integer(4), st.integer(5)});
  return out;
}

}  // namespace tact::gateway::privacy
