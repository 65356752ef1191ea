// Survey CSV import: the RFC 4180 parser, the row mapping and validation, and the writer.
// Besides not crashing, checks two properties: whatever parses writes back and parses to the
// same fields, and no neutralised cell starts with a character a spreadsheet evaluates.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/limits.hpp"
#include "resources/csv.hpp"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)linli::resources::PlanImport(text);

  const auto parsed = linli::resources::ParseCsv(text, linli::limits::kCsvImportRowsMax);
  if (!parsed.error) {
    // Written like the export: behind a byte-order mark, so a first cell that itself starts
    // with U+FEFF survives.
    std::string written = "\xEF\xBB\xBF";
    for (const auto& record : parsed.records) written += linli::resources::CsvLine(record.fields);
    const auto again = linli::resources::ParseCsv(written, linli::limits::kCsvImportRowsMax);
    Check(!again.error.has_value());
    Check(again.records.size() == parsed.records.size());
    for (std::size_t i = 0; i < parsed.records.size(); ++i) {
      Check(again.records[i].fields == parsed.records[i].fields);
    }
  }
  const std::string cell = linli::resources::NeutraliseFormula(text);
  Check(cell.empty() || std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos);
  return 0;
}
