#include "storage/store.hpp"

#include <cassert>

namespace linli::storage {

bool Row::IsNull(std::size_t column) const {
  return std::holds_alternative<Null>(values_.at(column));
}

std::int64_t Row::Int(std::size_t column) const {
  const auto& value = values_.at(column);
  if (const auto* real = std::get_if<double>(&value)) return static_cast<std::int64_t>(*real);
  assert(std::holds_alternative<std::int64_t>(value));
  return std::get<std::int64_t>(value);
}

double Row::Real(std::size_t column) const {
  const auto& value = values_.at(column);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  return std::get<double>(value);
}

const std::string& Row::Text(std::size_t column) const {
  return std::get<std::string>(values_.at(column));
}

const std::string& Row::Bytes(std::size_t column) const {
  const auto& value = values_.at(column);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return std::get<Blob>(value).bytes;
}

std::optional<std::int64_t> Row::OptInt(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> Row::OptText(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Result<std::int64_t> Session::Execute(std::string_view sql, std::initializer_list<Value> params) {
  auto rows = Query(sql, std::vector<Value>(params));
  if (!rows) return rows.error();
  return rows->affected;
}

Result<std::optional<Row>> Session::QueryOne(std::string_view sql,
                                             std::initializer_list<Value> params) {
  auto rows = Query(sql, std::vector<Value>(params));
  if (!rows) return rows.error();
  if (rows->rows.empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->rows.front())};
}

Result<std::vector<int>> Migrate(Store& store, const std::vector<Migration>& migrations,
                                 std::int64_t now_s) {
  LINLI_TRY(store.Write([](Session& session) -> Status {
    LINLI_TRY(
        session.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
    return Ok();
  }));
  std::vector<int> applied;
  for (const auto& migration : migrations) {
    bool done = false;
    LINLI_TRY(store.Write([&](Session& session) -> Status {
      done = false;
      auto existing = session.QueryOne("SELECT 1 FROM schema_migrations WHERE version = $1",
                                       {std::int64_t{migration.version}});
      if (!existing) return existing.error();
      if (existing->has_value()) return Ok();
      LINLI_TRY(session.ExecuteScript(migration.sql));
      LINLI_TRY(session.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
          {std::int64_t{migration.version}, migration.name, now_s}));
      done = true;
      return Ok();
    }));
    if (done) applied.push_back(migration.version);
  }
  return applied;
}

}  // namespace linli::storage
