#include "resources/csv.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/limits.hpp"

namespace linli::resources {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Length of the valid UTF-8 sequence at text[at], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < min_second || byte(at + 1) > max_second) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return length;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Reads records one at a time, tracking physical lines for the error report.
class CsvScanner {
 public:
  explicit CsvScanner(std::string_view text) : text_(text) {
    if (text_.starts_with(kBom)) text_.remove_prefix(kBom.size());
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  std::size_t line() const { return line_; }

  // Reads the next record into `fields`; returns a problem reason or "" on success.
  std::string_view Next(std::vector<std::string>& fields) {
    fields.clear();
    while (true) {
      std::string field;
      std::string_view problem =
          pos_ < text_.size() && text_[pos_] == '"' ? Quoted(field) : Unquoted(field);
      if (!problem.empty()) return problem;
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return "";
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      ConsumeLineEnd();
      return "";
    }
  }

 private:
  bool AtLineEnd() const { return text_[pos_] == '\r' || text_[pos_] == '\n'; }

  void ConsumeLineEnd() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string_view Unquoted(std::string& field) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
      if (text_[pos_] == '"') return "stray_quote";
      ++pos_;
    }
    if (pos_ - start > limits::kCsvFieldBytesMax) return "field_too_long";
    field.assign(text_.substr(start, pos_ - start));
    return "";
  }

  std::string_view Quoted(std::string& field) {
    ++pos_;  // the opening quote
    while (true) {
      const std::size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) return "unterminated_quote";
      AppendCountingLines(field, text_.substr(pos_, quote - pos_));
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one quote
        field += '"';
        ++pos_;
        continue;
      }
      if (field.size() > limits::kCsvFieldBytesMax) return "field_too_long";
      if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) return "stray_quote";
      return "";
    }
  }

  void AppendCountingLines(std::string& field, std::string_view chunk) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] == '\n' ||
          (chunk[i] == '\r' && (i + 1 == chunk.size() || chunk[i + 1] != '\n'))) {
        ++line_;
      }
    }
    field.append(chunk);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

// ---------------------------------------------------------------------------------------------
// Import columns

const std::map<std::string, std::string, std::less<>>& ColumnAliases() {
  static const std::map<std::string, std::string, std::less<>> kAliases{
      {"编号", "ref"},
      {"类型", "kind"},
      {"标题", "title"},
      {"名称", "title"},
      {"描述", "description"},
      {"说明", "description"},
      {"标签", "tags"},
      {"权属", "owner_type"},
      {"归属", "owner_type"},
      {"使用规则", "rule"},
      {"规则", "rule"},
      {"价格(分)", "price_fen"},
      {"价格(元)", "price_yuan"},
      {"价格", "price_yuan"},
      {"计价单位", "price_unit"},
      {"单位", "price_unit"},
      {"积分", "points"},
      {"押金积分", "deposit_points"},
      {"置换条件", "exchange_terms"},
      {"可见范围", "visibility"},
      {"楼栋", "building"},
      {"纬度", "lat"},
      {"经度", "lon"},
      {"容纳人数", "capacity"},
      {"开放时段", "open_hours"},
      {"设施", "facilities"},
      {"技能", "skill"},
      {"证书", "certificate"},
      {"成色", "condition"},
      {"数量", "quantity"},
      {"团队人数", "team_size"},
      {"团队技能", "skills"},
  };
  return kAliases;
}

const std::set<std::string, std::less<>>& ExportOnlyColumns() {
  static const std::set<std::string, std::less<>> kColumns{"id", "lifecycle", "availability",
                                                           "reconfirm_due_at"};
  return kColumns;
}

std::string CanonicalColumn(std::string_view header) {
  std::string name(Trim(header));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
  });
  if (auto alias = ColumnAliases().find(name); alias != ColumnAliases().end()) {
    return alias->second;
  }
  return name;
}

std::string_view ColumnForField(std::string_view field) {
  return field == "building_id" ? std::string_view("building") : field;
}

// Reads the cells of one data row by column name and records the problems of each.
class RowReader {
 public:
  RowReader(const CsvRecord& record, const std::map<std::string, std::size_t, std::less<>>& columns,
            ImportPlan& plan)
      : record_(record), columns_(columns), plan_(plan) {}

  // The trimmed cell, with CRLF and CR line breaks inside it turned into LF.
  std::string Text(std::string_view column) const {
    auto found = columns_.find(column);
    if (found == columns_.end()) return "";
    const std::string_view cell = Trim(record_.fields[found->second]);
    std::string out;
    out.reserve(cell.size());
    for (std::size_t i = 0; i < cell.size(); ++i) {
      if (cell[i] != '\r') {
        out += cell[i];
      } else if (i + 1 == cell.size() || cell[i + 1] != '\n') {
        out += '\n';
      }
    }
    return out;
  }

  std::optional<std::int64_t> Int(std::string_view column) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
      Fail(column, "expected_integer");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> Number(std::string_view column) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
      Fail(column, "expected_number");
      return std::nullopt;
    }
    return value;
  }

  template <class E>
  std::optional<E> Enum(std::string_view column, std::optional<E> (*parse)(std::string_view),
                        std::optional<E> fallback) {
    const std::string text = Text(column);
    if (text.empty()) return fallback;
    auto value = parse(text);
    if (!value) Fail(column, "invalid_value");
    return value ? value : fallback;
  }

  // Reports a column's first problem only: a cell that failed to parse also fails validation.
  void Fail(std::string_view column, std::string_view reason) {
    failed_ = true;
    if (!failed_columns_.insert(std::string(column)).second) return;
    plan_.Add({record_.row, record_.line, std::string(column), std::string(reason)});
  }
  bool failed() const { return failed_; }

 private:
  const CsvRecord& record_;
  const std::map<std::string, std::size_t, std::less<>>& columns_;
  ImportPlan& plan_;
  bool failed_ = false;
  std::set<std::string, std::less<>> failed_columns_;
};

void ReadRule(RowReader& reader, UsageRule& rule) {
  rule.type = *reader.Enum<RuleType>("rule", ParseRuleTypeLabel, RuleType::kFree);
  const auto fen = reader.Int("price_fen");
  const std::string yuan_text = reader.Text("price_yuan");
  std::optional<std::int64_t> yuan_fen;
  if (!yuan_text.empty()) {
    yuan_fen = ParseYuan(yuan_text);
    if (!yuan_fen) reader.Fail("price_yuan", "expected_amount");
  }
  if (fen && yuan_fen) reader.Fail("price_yuan", "conflicting_columns");
  rule.price_fen = fen.value_or(yuan_fen.value_or(0));
  rule.price_unit = reader.Text("price_unit");
  rule.points = reader.Int("points").value_or(0);
  rule.deposit_points = reader.Int("deposit_points").value_or(0);
  rule.exchange_terms = reader.Text("exchange_terms");
}

void ReadAttributes(RowReader& reader, KindAttributes& attributes) {
  attributes.capacity = reader.Int("capacity");
  attributes.open_hours = reader.Text("open_hours");
  attributes.facilities = SplitListCell(reader.Text("facilities"));
  attributes.skill = reader.Text("skill");
  attributes.certificate = reader.Text("certificate");
  attributes.condition =
      reader.Enum<Condition>("condition", ParseConditionLabel, std::optional<Condition>{});
  attributes.quantity = reader.Int("quantity");
  attributes.team_size = reader.Int("team_size");
  attributes.skills = SplitListCell(reader.Text("skills"));
}

std::optional<ImportRow> ReadRow(const CsvRecord& record,
                                 const std::map<std::string, std::size_t, std::less<>>& columns,
                                 std::set<std::string, std::less<>>& refs, ImportPlan& plan) {
  RowReader reader(record, columns, plan);
  ImportRow row;
  row.row = record.row;
  row.line = record.line;
  CardContent& content = row.content;
  auto kind = reader.Enum<Kind>("kind", ParseKindLabel, std::optional<Kind>{});
  if (!kind && reader.Text("kind").empty()) reader.Fail("kind", "required");
  content.kind = kind.value_or(Kind::kGoods);
  content.title = reader.Text("title");
  content.description = reader.Text("description");
  content.tags = SplitListCell(reader.Text("tags"));
  content.owner_type =
      *reader.Enum<OwnerType>("owner_type", ParseOwnerTypeLabel, OwnerType::kIndividual);
  content.visibility =
      *reader.Enum<Visibility>("visibility", ParseVisibilityLabel, Visibility::kCommunity);
  ReadRule(reader, content.rule);
  ReadAttributes(reader, content.attributes);
  content.location.lat = reader.Number("lat");
  content.location.lon = reader.Number("lon");
  if (auto building = reader.Text("building"); !building.empty()) row.building = building;
  if (auto ref = reader.Text("ref"); !ref.empty()) {
    if (ref.size() > limits::kResourceShortTextBytesMax) {
      reader.Fail("ref", "too_long");
    } else if (!refs.insert(ref).second) {
      reader.Fail("ref", "duplicate");
    }
    row.ref = ref;
  }
  if (!kind) return std::nullopt;  // attribute rules depend on the kind
  for (const auto& problem : Validate(content)) {
    reader.Fail(ColumnForField(problem.field), problem.reason);
  }
  if (reader.failed()) return std::nullopt;
  return row;
}

}  // namespace

CsvParse ParseCsv(std::string_view text, std::size_t rows_max) {
  CsvParse out;
  CsvScanner scanner(text);
  std::size_t row = 0;
  std::vector<std::string> fields;
  while (!scanner.AtEnd()) {
    const std::size_t line = scanner.line();
    ++row;
    if (row > rows_max + 1) {  // + the header
      out.error = CsvProblem{row, line, "", "too_many_rows"};
      break;
    }
    if (auto problem = scanner.Next(fields); !problem.empty()) {
      out.error = CsvProblem{row, line, "", std::string(problem)};
      break;
    }
    if (fields.size() == 1 && fields.front().empty()) continue;  // a blank line
    const bool valid = std::all_of(fields.begin(), fields.end(),
                                   [](const std::string& field) { return IsValidUtf8(field); });
    if (!valid) {
      out.error = CsvProblem{row, line, "", "invalid_utf8"};
      break;
    }
    out.records.push_back(CsvRecord{row, line, fields});
  }
  return out;
}

std::string QuoteCsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string NeutraliseFormula(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    return "'" + std::string(text);
  }
  return std::string(text);
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += QuoteCsvField(cells[i]);
  }
  line += "\r\n";
  return line;
}

const std::vector<std::string>& ImportColumns() {
  static const std::vector<std::string> kColumns{"ref",
                                                 "kind",
                                                 "title",
                                                 "description",
                                                 "tags",
                                                 "owner_type",
                                                 "rule",
                                                 "price_fen",
                                                 "price_yuan",
                                                 "price_unit",
                                                 "points",
                                                 "deposit_points",
                                                 "exchange_terms",
                                                 "visibility",
                                                 "building",
                                                 "lat",
                                                 "lon",
                                                 "capacity",
                                                 "open_hours",
                                                 "facilities",
                                                 "skill",
                                                 "certificate",
                                                 "condition",
                                                 "quantity",
                                                 "team_size",
                                                 "skills"};
  return kColumns;
}

const std::vector<std::string>& ExportColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> columns{"id", "lifecycle", "availability", "reconfirm_due_at"};
    for (const auto& column : ImportColumns()) {
      if (column != "price_yuan") columns.push_back(column);
    }
    return columns;
  }();
  return kColumns;
}

void ImportPlan::Add(CsvProblem problem) {
  ++problem_count;
  if (problems.size() < limits::kCsvErrorsReportedMax) problems.push_back(std::move(problem));
}

ImportPlan PlanImport(std::string_view csv) {
  ImportPlan plan;
  CsvParse parsed = ParseCsv(csv, limits::kCsvImportRowsMax);
  if (parsed.records.empty()) {
    plan.Add(parsed.error.value_or(CsvProblem{1, 1, "", "header_missing"}));
    return plan;
  }
  const CsvRecord& header = parsed.records.front();
  std::map<std::string, std::size_t, std::less<>> columns;
  const auto& known = ImportColumns();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = CanonicalColumn(header.fields[i]);
    const bool is_known = std::find(known.begin(), known.end(), name) != known.end();
    if (!is_known && !ExportOnlyColumns().contains(name)) {
      plan.Add({header.row, header.line, name, "unknown_column"});
    } else if (!columns.emplace(name, i).second) {
      plan.Add({header.row, header.line, name, "duplicate_column"});
    }
  }
  for (std::string_view required : {"kind", "title"}) {
    if (!columns.contains(required)) {
      plan.Add({header.row, header.line, std::string(required), "required_column"});
    }
  }
  if (!plan.ok()) return plan;  // rows cannot be read against a broken header
  std::set<std::string, std::less<>> refs;
  for (std::size_t i = 1; i < parsed.records.size(); ++i) {
    const CsvRecord& record = parsed.records[i];
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& field) { return Trim(field).empty(); })) {
      continue;  // a spreadsheet's empty row (",,,,")
    }
    if (record.fields.size() != header.fields.size()) {
      plan.Add({record.row, record.line, "", "wrong_field_count"});
      continue;
    }
    if (auto row = ReadRow(record, columns, refs, plan)) plan.rows.push_back(std::move(*row));
  }
  if (parsed.error) plan.Add(*parsed.error);
  return plan;
}

std::vector<std::string> SplitListCell(std::string_view cell) {
  std::vector<std::string> items;
  std::string current;
  const auto flush = [&] {
    items.push_back(current);
    current.clear();
  };
  for (std::size_t i = 0; i < cell.size();) {
    if (cell[i] == ';') {
      flush();
      i += 1;
    } else if (cell.substr(i).starts_with("；") || cell.substr(i).starts_with("、")) {
      flush();
      i += 3;  // both are 3 bytes in UTF-8
    } else {
      current += cell[i];
      i += 1;
    }
  }
  flush();
  return NormaliseList(items);
}

std::optional<std::int64_t> ParseYuan(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view cents = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 12 || !digits(whole) || cents.size() > 2 || !digits(cents) ||
      (dot != std::string_view::npos && cents.empty())) {
    return std::nullopt;
  }
  std::int64_t fen = 0;
  for (char c : whole) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (!cents.empty()) fen += (cents[0] - '0') * 10 + (cents.size() == 2 ? cents[1] - '0' : 0);
  return fen;
}

}  // namespace linli::resources
