#pragma once
// CSV for the door-to-door survey import (入户调研) and the community export. Pure functions:
// the parser and the row mapping are fuzzed (fuzz/fuzz_resources_csv.cpp) and unit-tested.
//
// Parsing follows RFC 4180 with the leniencies real spreadsheets need: UTF-8 with or without a
// byte-order mark, CRLF, LF or CR line ends, quoted fields with "" escapes and embedded line
// breaks, blank lines skipped. Anything else is reported (never guessed): a quote inside an
// unquoted field or after a closing quote, an unterminated quote, invalid UTF-8, a field longer
// than kCsvFieldBytesMax, more than kCsvImportRowsMax rows.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resources/model.hpp"

namespace linli::resources {

struct CsvRecord {
  std::size_t row = 0;   // record number; the header is row 1, as a spreadsheet shows it
  std::size_t line = 0;  // physical line the record starts on (differs after embedded breaks)
  std::vector<std::string> fields;
};

// One problem of an import, for the per-row error report.
struct CsvProblem {
  std::size_t row = 0;
  std::size_t line = 0;
  std::string column;  // header name ("" for the whole row or file)
  std::string reason;  // snake_case, listed in docs/resources-csv.md

  bool operator==(const CsvProblem&) const = default;
};

struct CsvParse {
  std::vector<CsvRecord> records;
  std::optional<CsvProblem> error;  // a structural error stops parsing
};

CsvParse ParseCsv(std::string_view text, std::size_t rows_max);

// Quotes a field when it holds a comma, quote or line break (RFC 4180).
std::string QuoteCsvField(std::string_view text);
// Formula-injection guard for spreadsheet users: text starting with = + - @, tab or CR gets a
// leading apostrophe, so Excel/WPS show it as text instead of evaluating it.
std::string NeutraliseFormula(std::string_view text);
// A line of neutralised, quoted cells ending in CRLF.
std::string CsvLine(const std::vector<std::string>& cells);

// The import header: these columns (any order; only kind and title are required). Chinese
// aliases are accepted for each (docs/resources-csv.md). Export-only columns (id, lifecycle,
// availability, reconfirm_due_at) are accepted and ignored, so an export can be re-imported.
const std::vector<std::string>& ImportColumns();
const std::vector<std::string>& ExportColumns();

struct ImportRow {
  std::size_t row = 0;
  std::size_t line = 0;
  CardContent content;                  // location.building_id unset: see building
  std::optional<std::string> building;  // a building name, resolved by the service
  std::optional<std::string> ref;
};

struct ImportPlan {
  std::vector<ImportRow> rows;
  std::vector<CsvProblem> problems;  // at most kCsvErrorsReportedMax
  std::size_t problem_count = 0;     // all of them

  void Add(CsvProblem problem);
  bool ok() const { return problem_count == 0; }
};

// Parses and validates every row (content rules of Validate included); database checks
// (buildings, refs already taken) are the service's.
ImportPlan PlanImport(std::string_view csv);

// Splits a list cell on ; ；、 and trims the items.
std::vector<std::string> SplitListCell(std::string_view cell);
// "5", "5.5", "5.50" yuan → fen; nullopt for anything else (negative, 3 decimals, ...).
std::optional<std::int64_t> ParseYuan(std::string_view text);

}  // namespace linli::resources
