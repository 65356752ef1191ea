#include "resources/repo.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::resources::repo {
namespace {

using storage::Null;
using storage::Value;

// Every column but id, in the order CardValues produces them.
constexpr std::array<std::string_view, 38> kCardColumns{"community_id",
                                                        "owner_user_id",
                                                        "owner_api_key_id",
                                                        "owner_type",
                                                        "kind",
                                                        "title",
                                                        "description",
                                                        "tags",
                                                        "capacity",
                                                        "open_hours",
                                                        "facilities",
                                                        "skill",
                                                        "certificate",
                                                        "item_condition",
                                                        "quantity",
                                                        "team_size",
                                                        "skills",
                                                        "rule",
                                                        "price_fen",
                                                        "price_unit",
                                                        "points",
                                                        "deposit_points",
                                                        "exchange_terms",
                                                        "building_id",
                                                        "lat",
                                                        "lon",
                                                        "visibility",
                                                        "availability",
                                                        "lifecycle",
                                                        "ref",
                                                        "version",
                                                        "created_at",
                                                        "updated_at",
                                                        "listed_at",
                                                        "reconfirm_due_at",
                                                        "reminded_at",
                                                        "last_activity_at",
                                                        "delisted_reason"};

const std::string& SelectColumns() {
  static const std::string kColumns = [] {
    std::string columns = "id";
    for (auto column : kCardColumns) columns += fmt::format(", {}", column);
    return columns;
  }();
  return kColumns;
}

// "c.id, c.community_id, ..." for the queries that join the settings as "st".
const std::string& SelectCardColumnsAsC() {
  static const std::string kColumns = [] {
    std::string columns = "c.id";
    for (auto column : kCardColumns) columns += fmt::format(", c.{}", column);
    return columns;
  }();
  return kColumns;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += '\n';
    joined += item;
  }
  return joined;
}

std::vector<std::string> SplitList(const std::string& joined) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < joined.size()) {
    const auto end = joined.find('\n', start);
    items.push_back(joined.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}

std::vector<Value> CardValues(const Card& card) {
  const CardContent& c = card.content;
  const KindAttributes& a = c.attributes;
  std::optional<std::string> condition;
  if (a.condition) condition = std::string(Name(*a.condition));
  return {card.community_id,
          storage::Nullable(card.owner_user_id),
          storage::Nullable(card.owner_api_key_id),
          std::string(Name(c.owner_type)),
          std::string(Name(c.kind)),
          c.title,
          c.description,
          JoinList(c.tags),
          storage::Nullable(a.capacity),
          a.open_hours,
          JoinList(a.facilities),
          a.skill,
          a.certificate,
          storage::Nullable(condition),
          storage::Nullable(a.quantity),
          storage::Nullable(a.team_size),
          JoinList(a.skills),
          std::string(Name(c.rule.type)),
          c.rule.price_fen,
          c.rule.price_unit,
          c.rule.points,
          c.rule.deposit_points,
          c.rule.exchange_terms,
          storage::Nullable(c.location.building_id),
          storage::Nullable(c.location.lat),
          storage::Nullable(c.location.lon),
          std::string(Name(c.visibility)),
          std::string(Name(card.availability)),
          std::string(Name(card.lifecycle)),
          storage::Nullable(card.ref),
          card.version,
          card.created_at,
          card.updated_at,
          storage::Nullable(card.listed_at),
          storage::Nullable(card.reconfirm_due_at),
          storage::Nullable(card.reminded_at),
          card.last_activity_at,
          storage::Nullable(card.delisted_reason)};
}

std::optional<double> OptRealAt(const storage::Row& row, std::size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Real(column);
}

// The database CHECKs admit only known names, so the fallbacks never apply.
Card CardFromRow(const storage::Row& row) {
  Card card;
  card.id = row.Int(0);
  card.community_id = row.Int(1);
  card.owner_user_id = row.OptInt(2);
  card.owner_api_key_id = row.OptInt(3);
  CardContent& c = card.content;
  c.owner_type = ParseOwnerType(row.Text(4)).value_or(OwnerType::kIndividual);
  c.kind = ParseKind(row.Text(5)).value_or(Kind::kGoods);
  c.title = row.Text(6);
  c.description = row.Text(7);
  c.tags = SplitList(row.Text(8));
  KindAttributes& a = c.attributes;
  a.capacity = row.OptInt(9);
  a.open_hours = row.Text(10);
  a.facilities = SplitList(row.Text(11));
  a.skill = row.Text(12);
  a.certificate = row.Text(13);
  if (auto condition = row.OptText(14)) a.condition = ParseCondition(*condition);
  a.quantity = row.OptInt(15);
  a.team_size = row.OptInt(16);
  a.skills = SplitList(row.Text(17));
  c.rule.type = ParseRuleType(row.Text(18)).value_or(RuleType::kFree);
  c.rule.price_fen = row.Int(19);
  c.rule.price_unit = row.Text(20);
  c.rule.points = row.Int(21);
  c.rule.deposit_points = row.Int(22);
  c.rule.exchange_terms = row.Text(23);
  c.location.building_id = row.OptInt(24);
  c.location.lat = OptRealAt(row, 25);
  c.location.lon = OptRealAt(row, 26);
  c.visibility = ParseVisibility(row.Text(27)).value_or(Visibility::kCommunity);
  card.availability = ParseAvailability(row.Text(28)).value_or(Availability::kAvailable);
  card.lifecycle = ParseLifecycle(row.Text(29)).value_or(Lifecycle::kDraft);
  card.ref = row.OptText(30);
  card.version = row.Int(31);
  card.created_at = row.Int(32);
  card.updated_at = row.Int(33);
  card.listed_at = row.OptInt(34);
  card.reconfirm_due_at = row.OptInt(35);
  card.reminded_at = row.OptInt(36);
  card.last_activity_at = row.Int(37);
  card.delisted_reason = row.OptText(38);
  return card;
}

// "$<first>, $<first+1>, ..." for `count` parameters.
std::string Placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("${}", first + i);
  }
  return out;
}

// Appends `values` to `params` for an IN list, padded with repeats of the last value to a
// power of two (at least 8), so the backends' prepared-statement caches see few distinct
// statements. Returns the placeholders. `values` must not be empty.
std::string InList(std::vector<Value>& params, const std::vector<Value>& values) {
  std::size_t size = 8;
  while (size < values.size()) size *= 2;
  const std::size_t first = params.size() + 1;
  params.insert(params.end(), values.begin(), values.end());
  for (std::size_t i = values.size(); i < size; ++i) params.push_back(values.back());
  return Placeholders(first, size);
}

const std::string& InsertPrefix() {
  static const std::string kPrefix = [] {
    std::string columns;
    for (auto column : kCardColumns) columns += (columns.empty() ? "" : ", ") + std::string(column);
    return fmt::format("INSERT INTO resource_cards ({}) VALUES ", columns);
  }();
  return kPrefix;
}

// Photo ids of the cards, in upload order.
Status AttachPhotoIds(Session& s, std::vector<Card>& cards) {
  if (cards.empty()) return Ok();
  std::set<std::int64_t> communities;
  for (const auto& card : cards) communities.insert(card.community_id);
  std::vector<Value> params;
  const std::string community_list =
      InList(params, std::vector<Value>(communities.begin(), communities.end()));
  std::vector<Value> ids;
  for (const auto& card : cards) ids.emplace_back(card.id);
  const std::string id_list = InList(params, ids);
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(fmt::format("SELECT resource_id, id FROM resource_photos WHERE "
                                     "community_id IN ({}) AND resource_id IN ({}) ORDER BY id",
                                     community_list, id_list),
                         params));
  std::map<std::int64_t, Card*> by_id;
  for (auto& card : cards) by_id[card.id] = &card;
  for (const auto& row : rows) {
    if (auto found = by_id.find(row.Int(0)); found != by_id.end()) {
      found->second->photo_ids.push_back(row.Int(1));
    }
  }
  return Ok();
}

Result<std::vector<Card>> QueryCards(Session& s, std::string_view sql,
                                     const std::vector<Value>& params, bool with_photos) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
  std::vector<Card> cards;
  cards.reserve(rows.size());
  for (const auto& row : rows) cards.push_back(CardFromRow(row));
  if (with_photos) LINLI_TRY(AttachPhotoIds(s, cards));
  return cards;
}

Page<Card> ToPage(std::vector<Card> cards, int limit) {
  return TrimToPage(std::move(cards), limit, [](const Card& card) { return card.id; });
}

}  // namespace

Result<std::int64_t> InsertCard(Session& s, const Card& card) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.Query(InsertPrefix() + "(" + Placeholders(1, kCardColumns.size()) + ") RETURNING id",
              CardValues(card)));
  return row[0].Int(0);
}

Status InsertCards(Session& s, const std::vector<Card>& cards) {
  for (std::size_t start = 0; start < cards.size(); start += limits::kSeedInsertBatchRows) {
    const std::size_t end = std::min(cards.size(), start + limits::kSeedInsertBatchRows);
    std::string sql = InsertPrefix();
    std::vector<Value> params;
    params.reserve((end - start) * kCardColumns.size());
    for (std::size_t i = start; i < end; ++i) {
      sql +=
          (i == start ? "(" : ", (") + Placeholders(params.size() + 1, kCardColumns.size()) + ")";
      auto values = CardValues(cards[i]);
      params.insert(params.end(), std::make_move_iterator(values.begin()),
                    std::make_move_iterator(values.end()));
    }
    LINLI_TRY(s.Query(sql, params));
  }
  return Ok();
}

Status UpdateCard(Session& s, const Card& card) {
  static const std::string kSql = [] {
    std::string assignments;
    for (std::size_t i = 1; i < kCardColumns.size(); ++i) {  // community_id is $1, never changes
      if (!assignments.empty()) assignments += ", ";
      assignments += fmt::format("{} = ${}", kCardColumns[i], i + 1);
    }
    return fmt::format("UPDATE resource_cards SET {} WHERE community_id = $1 AND id = ${}",
                       assignments, kCardColumns.size() + 1);
  }();
  auto params = CardValues(card);
  params.emplace_back(card.id);
  LINLI_TRY(s.Query(kSql, params));
  return Ok();
}

Result<std::optional<Card>> FindCard(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(
      auto cards, QueryCards(s, "SELECT " + SelectColumns() + " FROM resource_cards WHERE id = $1",
                             {id}, true));
  if (cards.empty()) return std::optional<Card>{};
  return std::optional<Card>{std::move(cards.front())};
}

Result<std::vector<Card>> FindCards(Session& s, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::vector<Card>{};
  std::vector<Value> params;
  const std::string list = InList(params, std::vector<Value>(ids.begin(), ids.end()));
  return QueryCards(s,
                    "SELECT " + SelectColumns() + " FROM resource_cards WHERE id IN (" + list + ")",
                    params, true);
}

Result<Page<Card>> CardsOfOwner(Session& s, const Owner& owner, std::optional<Lifecycle> lifecycle,
                                const PageRequest& page) {
  std::vector<Value> params{owner.id, page.after.value_or(INT64_MAX), std::int64_t{page.limit + 1}};
  std::string filter;
  if (lifecycle) {
    filter = " AND lifecycle = $4";
    params.emplace_back(std::string(Name(*lifecycle)));
  }
  LINLI_ASSIGN_OR_RETURN(auto cards,
                         QueryCards(s,
                                    "SELECT " + SelectColumns() + " FROM resource_cards WHERE " +
                                        (owner.api_key ? "owner_api_key_id" : "owner_user_id") +
                                        " = $1 AND id < $2" + filter + " ORDER BY id DESC LIMIT $3",
                                    params, true));
  return ToPage(std::move(cards), page.limit);
}

Result<Page<Card>> PendingReview(Session& s, std::int64_t community_id, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto cards,
      QueryCards(s,
                 "SELECT " + SelectColumns() +
                     " FROM resource_cards WHERE community_id = $1 AND lifecycle = "
                     "'pending_review' AND id > $2 ORDER BY id LIMIT $3",
                 {community_id, page.after.value_or(0), std::int64_t{page.limit + 1}}, true));
  return ToPage(std::move(cards), page.limit);
}

Result<std::vector<Card>> CommunityCards(Session& s, std::int64_t community_id) {
  return QueryCards(s,
                    "SELECT " + SelectColumns() +
                        " FROM resource_cards WHERE community_id = $1 AND lifecycle <> "
                        "'archived' ORDER BY id",
                    {community_id}, false);
}

Result<std::vector<Card>> ListedCardsAfter(Session& s, std::int64_t after_id, std::size_t limit) {
  return QueryCards(s,
                    "SELECT " + SelectColumns() +
                        " FROM resource_cards WHERE lifecycle = 'listed' AND id > $1 "
                        "ORDER BY id LIMIT $2",
                    {after_id, static_cast<std::int64_t>(limit)}, false);
}

Result<std::vector<std::int64_t>> CommunitiesWithListedCards(Session& s) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT DISTINCT community_id FROM resource_cards WHERE lifecycle = 'listed'"));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.Int(0));
  return ids;
}

Result<std::vector<std::string>> TakenRefs(Session& s, std::int64_t community_id,
                                           const std::vector<std::string>& refs) {
  std::vector<std::string> taken;
  // Bounded IN lists: an import has at most kCsvImportRowsMax rows.
  constexpr std::size_t kChunk = 256;
  for (std::size_t start = 0; start < refs.size(); start += kChunk) {
    const std::size_t end = std::min(refs.size(), start + kChunk);
    std::vector<Value> params{community_id};
    const std::string list =
        InList(params, std::vector<Value>(refs.begin() + static_cast<std::ptrdiff_t>(start),
                                          refs.begin() + static_cast<std::ptrdiff_t>(end)));
    LINLI_ASSIGN_OR_RETURN(
        auto rows,
        s.Query("SELECT ref FROM resource_cards WHERE community_id = $1 AND ref IN (" + list + ")",
                params));
    for (const auto& row : rows) taken.push_back(row.Text(0));
  }
  return taken;
}

Result<std::int64_t> CountRefsWithPrefix(Session& s, std::int64_t community_id,
                                         const std::string& prefix) {
  // Callers pass constant prefixes without LIKE wildcards ("synthetic:").
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT COUNT(*) FROM resource_cards WHERE community_id = $1 AND ref LIKE $2",
                 {community_id, prefix + "%"}));
  return row->Int(0);
}

Status InsertReview(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    const Review& review) {
  LINLI_TRY(s.Execute(
      "INSERT INTO resource_reviews (community_id, resource_id, reviewer_id, decision, reason, "
      "decided_at) VALUES ($1, $2, $3, $4, $5, $6)",
      {community_id, resource_id, review.reviewer_id, review.decision, review.reason,
       review.decided_at}));
  return Ok();
}

Result<std::vector<Review>> ReviewsOf(Session& s, std::int64_t community_id,
                                      std::int64_t resource_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT id, reviewer_id, decision, reason, decided_at FROM "
                                 "resource_reviews WHERE community_id = $1 AND resource_id = $2 "
                                 "ORDER BY id",
                                 {community_id, resource_id}));
  std::vector<Review> reviews;
  for (const auto& row : rows) {
    reviews.push_back(Review{row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Int(4)});
  }
  return reviews;
}

Result<std::int64_t> InsertPhoto(Session& s, std::int64_t community_id, std::int64_t resource_id,
                                 const Photo& photo) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO resource_photos (community_id, resource_id, media_type, bytes, "
                 "size_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                 {community_id, resource_id, photo.media_type, storage::Blob{photo.bytes},
                  static_cast<std::int64_t>(photo.bytes.size()), photo.sha256, photo.created_at}));
  return row->Int(0);
}

Result<std::optional<Photo>> FindPhoto(Session& s, std::int64_t community_id,
                                       std::int64_t resource_id, std::int64_t photo_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT id, media_type, bytes, sha256, created_at FROM resource_photos "
                           "WHERE community_id = $1 AND resource_id = $2 AND id = $3",
                           {community_id, resource_id, photo_id}));
  if (!row) return std::optional<Photo>{};
  return std::optional<Photo>{
      Photo{row->Int(0), row->Text(1), row->Bytes(2), row->Text(3), row->Int(4)}};
}

Result<bool> DeletePhoto(Session& s, std::int64_t community_id, std::int64_t resource_id,
                         std::int64_t photo_id) {
  LINLI_ASSIGN_OR_RETURN(auto deleted,
                         s.Execute("DELETE FROM resource_photos WHERE community_id = $1 AND "
                                   "resource_id = $2 AND id = $3",
                                   {community_id, resource_id, photo_id}));
  return deleted == 1;
}

Status AppendChange(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("INSERT INTO resource_changes (community_id, resource_id, at) VALUES ($1, $2, $3)",
                {community_id, resource_id, now_s}));
  return Ok();
}

Result<std::vector<Change>> ChangesAfter(Session& s, std::int64_t after_id, std::size_t limit) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT id, community_id, resource_id FROM resource_changes "
                                 "WHERE id > $1 ORDER BY id LIMIT $2",
                                 {after_id, static_cast<std::int64_t>(limit)}));
  std::vector<Change> changes;
  for (const auto& row : rows) changes.push_back(Change{row.Int(0), row.Int(1), row.Int(2)});
  return changes;
}

Result<std::int64_t> MaxChangeId(Session& s) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT MAX(id) FROM resource_changes"));
  return row && !row->IsNull(0) ? row->Int(0) : 0;
}

Result<std::int64_t> PruneChanges(Session& s, std::int64_t before_s) {
  return s.Execute("DELETE FROM resource_changes WHERE at < $1", {before_s});
}

Result<std::optional<Policy>> FindSettings(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT reconfirm_days, reminder_days, idle_days FROM "
                                    "resource_settings WHERE community_id = $1",
                                    {community_id}));
  if (!row) return std::optional<Policy>{};
  return std::optional<Policy>{Policy{row->Int(0), row->Int(1), row->Int(2)}};
}

Status UpsertSettings(Session& s, std::int64_t community_id, const Policy& policy,
                      std::int64_t now_s) {
  LINLI_TRY(s.Execute(
      "INSERT INTO resource_settings (community_id, reconfirm_days, reminder_days, idle_days, "
      "updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_id) DO UPDATE SET "
      "reconfirm_days = $2, reminder_days = $3, idle_days = $4, updated_at = $5",
      {community_id, policy.reconfirm_days, policy.reminder_days, policy.idle_days, now_s}));
  return Ok();
}

Result<std::vector<Card>> DueForReminder(Session& s, std::int64_t now_s, const Policy& defaults,
                                         std::size_t limit) {
  return QueryCards(
      s,
      "SELECT " + SelectCardColumnsAsC() +
          " FROM resource_cards c LEFT JOIN resource_settings st ON st.community_id = "
          "c.community_id WHERE c.lifecycle = 'listed' AND c.reminded_at IS NULL AND "
          "c.reconfirm_due_at > $1 AND c.reconfirm_due_at - COALESCE(st.reminder_days, $2) * "
          "$3 <= $1 ORDER BY c.id LIMIT $4",
      {now_s, defaults.reminder_days, kDayS, static_cast<std::int64_t>(limit)}, false);
}

Result<std::vector<Card>> Overdue(Session& s, std::int64_t now_s, std::size_t limit) {
  return QueryCards(s,
                    "SELECT " + SelectColumns() +
                        " FROM resource_cards WHERE lifecycle = 'listed' AND reconfirm_due_at "
                        "<= $1 ORDER BY id LIMIT $2",
                    {now_s, static_cast<std::int64_t>(limit)}, false);
}

Result<std::vector<Card>> Idle(Session& s, std::int64_t now_s, const Policy& defaults,
                               std::size_t limit) {
  return QueryCards(
      s,
      "SELECT " + SelectCardColumnsAsC() +
          " FROM resource_cards c LEFT JOIN resource_settings st ON st.community_id = "
          "c.community_id WHERE c.lifecycle = 'listed' AND c.last_activity_at + "
          "COALESCE(st.idle_days, $2) * $3 <= $1 ORDER BY c.id LIMIT $4",
      {now_s, defaults.idle_days, kDayS, static_cast<std::int64_t>(limit)}, false);
}

Status MarkReminded(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("UPDATE resource_cards SET reminded_at = $3 WHERE community_id = $1 AND id = $2",
                {community_id, resource_id, now_s}));
  return Ok();
}

Status TouchActivity(Session& s, std::int64_t community_id, std::int64_t resource_id,
                     std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("UPDATE resource_cards SET last_activity_at = $3 WHERE community_id = $1 "
                "AND id = $2 AND last_activity_at < $3",
                {community_id, resource_id, now_s}));
  return Ok();
}

}  // namespace linli::resources::repo
