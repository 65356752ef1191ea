#include "audit/repo.hpp"

#include <string>

namespace linli::audit::repo {
namespace {

const std::string kGenesisHash(64, '0');
constexpr std::int64_t kVerifyChunkRows = 5000;

constexpr std::string_view kColumns =
    "community_id, seq, at, actor_id, acting_for_id, role, action, object_type, object_id, "
    "details, prev_hash, hash";

Entry EntryFromRow(const storage::Row& row) {
  Entry entry;
  entry.draft.community_id = row.Int(0);
  entry.seq = row.Int(1);
  entry.at = row.Int(2);
  entry.draft.actor_id = row.Int(3);
  entry.draft.acting_for_id = row.OptInt(4);
  entry.draft.role = row.Text(5);
  entry.draft.action = row.Text(6);
  entry.draft.object_type = row.Text(7);
  entry.draft.object_id = row.Text(8);
  entry.draft.details = row.Text(9);
  entry.prev_hash = row.Text(10);
  entry.hash = row.Text(11);
  return entry;
}

}  // namespace

Result<Entry> Append(storage::Session& session, const EntryDraft& draft, std::int64_t now_s) {
  LINLI_TRY(
      session.Execute("INSERT INTO audit_head (community_id, seq, hash) VALUES ($1, 0, $2) "
                      "ON CONFLICT (community_id) DO NOTHING",
                      {draft.community_id, kGenesisHash}));
  LINLI_ASSIGN_OR_RETURN(auto head, session.QueryOne("UPDATE audit_head SET seq = seq + 1 "
                                                     "WHERE community_id = $1 RETURNING seq, hash",
                                                     {draft.community_id}));
  if (!head) return Error{Errc::kInternal, "audit_head_missing", "audit head row vanished"};
  Entry entry{draft, head->Int(0), now_s, head->Text(1), ""};
  entry.hash = ChainHash(entry);
  LINLI_TRY(session.Execute(
      "INSERT INTO audit_log (community_id, seq, at, actor_id, acting_for_id, role, action, "
      "object_type, object_id, details, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {draft.community_id, entry.seq, entry.at, draft.actor_id,
       storage::Nullable(draft.acting_for_id), draft.role, draft.action, draft.object_type,
       draft.object_id, draft.details, entry.prev_hash, entry.hash}));
  LINLI_TRY(session.Execute("UPDATE audit_head SET hash = $2 WHERE community_id = $1",
                            {draft.community_id, entry.hash}));
  return entry;
}

Result<Page<Entry>> List(storage::Session& session, std::int64_t community_id,
                         const PageRequest& page) {
  const std::int64_t before = page.after.value_or(INT64_MAX);
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         session.Query(std::string("SELECT ") + std::string(kColumns) +
                                           " FROM audit_log WHERE community_id = $1 AND seq < $2 "
                                           "ORDER BY seq DESC LIMIT $3",
                                       {community_id, before, std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(rows, page.limit, EntryFromRow,
                               [](const Entry& item) { return item.seq; });
}

namespace {

// Checks one chain from its first entry to its head.
Result<Verification> VerifyChain(storage::Session& session, std::int64_t community_id,
                                 Verification result) {
  std::string prev_hash = kGenesisHash;
  std::int64_t expected_seq = 1;
  const auto fail = [&](std::int64_t seq, std::string problem) {
    result.ok = false;
    result.first_bad_community_id = community_id;
    result.first_bad_seq = seq;
    result.problem = std::move(problem);
    return result;
  };
  for (;;) {
    LINLI_ASSIGN_OR_RETURN(
        auto rows, session.Query(std::string("SELECT ") + std::string(kColumns) +
                                     " FROM audit_log WHERE community_id = $1 AND seq >= $2 "
                                     "ORDER BY seq LIMIT $3",
                                 {community_id, expected_seq, kVerifyChunkRows}));
    for (const auto& row : rows) {
      const Entry entry = EntryFromRow(row);
      ++result.checked;
      if (entry.seq != expected_seq) return fail(expected_seq, "missing_entries");
      if (entry.prev_hash != prev_hash) return fail(entry.seq, "broken_link");
      if (ChainHash(entry) != entry.hash) return fail(entry.seq, "hash_mismatch");
      prev_hash = entry.hash;
      ++expected_seq;
    }
    if (static_cast<std::int64_t>(rows.size()) < kVerifyChunkRows) break;
  }
  // The head remembers the last seq and hash: a truncated tail is caught here.
  LINLI_ASSIGN_OR_RETURN(
      auto head,
      session.QueryOne("SELECT seq, hash FROM audit_head WHERE community_id = $1", {community_id}));
  const std::int64_t last = expected_seq - 1;
  if (!head && last == 0) return result;  // an empty chain
  if (!head || head->Int(0) != last || head->Text(1) != prev_hash) {
    return fail(last + 1, "head_mismatch");
  }
  return result;
}

}  // namespace

Result<Verification> Verify(storage::Session& session, std::optional<std::int64_t> community_id) {
  std::vector<std::int64_t> chains;
  if (community_id) {
    chains.push_back(*community_id);
  } else {
    LINLI_ASSIGN_OR_RETURN(auto rows,
                           session.Query("SELECT community_id FROM audit_head UNION "
                                         "SELECT DISTINCT community_id FROM audit_log ORDER BY 1"));
    for (const auto& row : rows) chains.push_back(row.Int(0));
  }
  Verification result;
  for (const auto chain : chains) {
    LINLI_ASSIGN_OR_RETURN(result, VerifyChain(session, chain, result));
    if (!result.ok) break;
  }
  return result;
}

}  // namespace linli::audit::repo
