#include "resources/csv.hpp"

#include <tuple>

#include <gtest/gtest.h>

#include "core/limits.hpp"

namespace linli::resources {
namespace {

using Fields = std::vector<std::string>;

std::vector<Fields> FieldsOf(const CsvParse& parse) {
  std::vector<Fields> out;
  for (const auto& record : parse.records) out.push_back(record.fields);
  return out;
}

TEST(ParseCsvTest, ReadsQuotedFieldsEscapesAndEmbeddedLineBreaks) {
  auto parsed = ParseCsv(
      "a,b,c\r\n"
      "\"x, y\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\n"
      "plain,,\"\"\n",
      100);
  ASSERT_FALSE(parsed.error.has_value()) << parsed.error->reason;
  EXPECT_EQ(FieldsOf(parsed),
            (std::vector<Fields>{
                {"a", "b", "c"}, {"x, y", "say \"hi\"", "line1\r\nline2"}, {"plain", "", ""}}));
  // Rows count records; lines count physical lines (the second record spans two).
  EXPECT_EQ(parsed.records[2].row, 3u);
  EXPECT_EQ(parsed.records[2].line, 4u);
}

TEST(ParseCsvTest, SkipsTheByteOrderMarkAndBlankLinesAndAcceptsAnyLineEnd) {
  auto parsed = ParseCsv("\xEF\xBB\xBFkind,title\n\ngoods,雨伞\rspace,车位", 100);
  ASSERT_FALSE(parsed.error.has_value());
  EXPECT_EQ(FieldsOf(parsed),
            (std::vector<Fields>{{"kind", "title"}, {"goods", "雨伞"}, {"space", "车位"}}));
  EXPECT_EQ(parsed.records[1].row, 3u);  // the blank line is row 2, as a spreadsheet counts
}

TEST(ParseCsvTest, ReportsStructuralErrorsWithTheirRow) {
  struct Case {
    std::string text;
    std::string reason;
    std::size_t row;
    std::size_t line;
  };
  for (const auto& c : std::vector<Case>{
           {"a,b\nx,\"open\nnever closed", "unterminated_quote", 2, 2},
           {"a,b\nx,ab\"c\n", "stray_quote", 2, 2},
           {"a,b\n\"q\"x,y\n", "stray_quote", 2, 2},
           {"a,b\n\"multi\nline\",ok\nbad\xC3\x28,x\n", "invalid_utf8", 3, 4},
           {"a\n" + std::string(limits::kCsvFieldBytesMax + 1, 'x') + "\n", "field_too_long", 2, 2},
       }) {
    auto parsed = ParseCsv(c.text, 100);
    ASSERT_TRUE(parsed.error.has_value()) << c.reason;
    EXPECT_EQ(parsed.error->reason, c.reason);
    EXPECT_EQ(parsed.error->row, c.row) << c.reason;
    EXPECT_EQ(parsed.error->line, c.line) << c.reason;
  }
}

TEST(ParseCsvTest, StopsAtTheRowLimit) {
  auto parsed = ParseCsv("h\n1\n2\n3\n", 2);
  ASSERT_TRUE(parsed.error.has_value());
  EXPECT_EQ(parsed.error->reason, "too_many_rows");
  EXPECT_EQ(parsed.records.size(), 3u);
}

TEST(CsvWriterTest, NeutralisesFormulaCellsAndQuotesWhenNeeded) {
  EXPECT_EQ(NeutraliseFormula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(NeutraliseFormula("+1"), "'+1");
  EXPECT_EQ(NeutraliseFormula("-2+3"), "'-2+3");
  EXPECT_EQ(NeutraliseFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(NeutraliseFormula("\tcmd"), "'\tcmd");
  EXPECT_EQ(NeutraliseFormula("\rcmd"), "'\rcmd");
  EXPECT_EQ(NeutraliseFormula("电钻 = 好用"), "电钻 = 好用");
  EXPECT_EQ(NeutraliseFormula(""), "");
  EXPECT_EQ(QuoteCsvField("plain"), "plain");
  EXPECT_EQ(QuoteCsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(QuoteCsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(QuoteCsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(CsvWriterTest, WhatIsWrittenParsesBack) {
  const Fields cells{"电钻", "a,b", "say \"hi\"", "line1\r\nline2", "", "'=1+1"};
  auto parsed = ParseCsv(CsvLine(cells) + CsvLine(cells), 10);
  ASSERT_FALSE(parsed.error.has_value());
  EXPECT_EQ(FieldsOf(parsed), (std::vector<Fields>{cells, cells}));
}

TEST(PlanImportTest, AcceptsChineseHeaderAliases) {
  auto plan = PlanImport("编号,类型,标题,技能,使用规则,积分\nDY-9,服务,上门理发,理发,积分,10\n");
  ASSERT_TRUE(plan.ok()) << plan.problems[0].column << " " << plan.problems[0].reason;
  ASSERT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(plan.rows[0].ref, "DY-9");
  EXPECT_EQ(plan.rows[0].content.kind, Kind::kService);
  EXPECT_EQ(plan.rows[0].content.rule.points, 10);
}

TEST(PlanImportTest, ReadsEveryColumn) {
  const std::string csv =
      "ref,kind,title,description,tags,owner_type,rule,price_yuan,price_unit,building,lat,lon,"
      "capacity,open_hours,facilities,condition,quantity\n"
      "DY-001,物资,冲击电钻,\"带钻头\r\n周末可借\",电钻；工具,,免费,,,1号楼,31.18,121.43,,,,"
      "九成新,2\n"
      "DY-002,space,地下车位,,车位、错峰停车,个人,price,5.5,小时,,,,1,工作日 8:00-18:00,地锁,,\n";
  auto plan = PlanImport(csv);
  ASSERT_TRUE(plan.ok()) << plan.problems[0].row << " " << plan.problems[0].column << " "
                         << plan.problems[0].reason;
  ASSERT_EQ(plan.rows.size(), 2u);
  const auto& drill = plan.rows[0];
  EXPECT_EQ(drill.ref, "DY-001");
  EXPECT_EQ(drill.row, 2u);
  EXPECT_EQ(drill.content.kind, Kind::kGoods);
  EXPECT_EQ(drill.content.description, "带钻头\n周末可借");  // CRLF inside a cell becomes LF
  EXPECT_EQ(drill.content.tags, (std::vector<std::string>{"电钻", "工具"}));
  EXPECT_EQ(drill.content.rule.type, RuleType::kFree);
  EXPECT_EQ(drill.building, "1号楼");
  EXPECT_EQ(drill.content.location.lat, 31.18);
  EXPECT_EQ(drill.content.attributes.condition, Condition::kLikeNew);
  EXPECT_EQ(drill.content.attributes.quantity, 2);
  const auto& parking = plan.rows[1];
  EXPECT_EQ(parking.row, 3u);  // the quoted line break moved it a line down: row 3, line 4
  EXPECT_EQ(parking.line, 4u);
  EXPECT_EQ(parking.content.kind, Kind::kSpace);
  EXPECT_EQ(parking.content.rule.price_fen, 550);
  EXPECT_EQ(parking.content.rule.price_unit, "小时");
  EXPECT_EQ(parking.content.tags, (std::vector<std::string>{"车位", "错峰停车"}));
  EXPECT_EQ(parking.content.attributes.facilities, (std::vector<std::string>{"地锁"}));
}

std::vector<std::tuple<std::size_t, std::string, std::string>> Report(const ImportPlan& plan) {
  std::vector<std::tuple<std::size_t, std::string, std::string>> out;
  for (const auto& problem : plan.problems) {
    out.emplace_back(problem.row, problem.column, problem.reason);
  }
  return out;
}

TEST(PlanImportTest, ReportsEachBadRowByRowAndColumn) {
  const std::string csv =
      "ref,kind,title,rule,price_fen,quantity,skill\n"
      "A1,goods,雨伞,free,,1,\n"
      "A2,火箭,飞船,free,,,\n"
      "A3,goods,,price,abc,0,\n"
      "A1,service,维修,free,,,\n"
      "A5,goods,梯子,free,,1\n"
      ",,,,,,\n";
  auto plan = PlanImport(csv);
  EXPECT_FALSE(plan.ok());
  EXPECT_EQ(plan.rows.size(), 1u);  // only A1 is clean
  EXPECT_EQ(Report(plan), (std::vector<std::tuple<std::size_t, std::string, std::string>>{
                              {3, "kind", "invalid_value"},
                              {4, "price_fen", "expected_integer"},
                              {4, "title", "required"},
                              {4, "quantity", "out_of_range"},
                              {4, "price_unit", "required"},
                              {5, "ref", "duplicate"},
                              {5, "skill", "required"},
                              {6, "", "wrong_field_count"}}));
  EXPECT_EQ(plan.problem_count, plan.problems.size());
}

TEST(PlanImportTest, RejectsABrokenHeader) {
  auto plan = PlanImport("kind,titel,kind\n");
  EXPECT_EQ(Report(plan), (std::vector<std::tuple<std::size_t, std::string, std::string>>{
                              {1, "titel", "unknown_column"},
                              {1, "kind", "duplicate_column"},
                              {1, "title", "required_column"}}));
  EXPECT_EQ(
      Report(PlanImport("")),
      (std::vector<std::tuple<std::size_t, std::string, std::string>>{{1, "", "header_missing"}}));
  auto both =
      PlanImport("kind,title,price_fen,price_yuan,rule,price_unit\ngoods,伞,500,5,price,次\n");
  EXPECT_EQ(Report(both), (std::vector<std::tuple<std::size_t, std::string, std::string>>{
                              {2, "price_yuan", "conflicting_columns"}}));
}

TEST(PlanImportTest, AcceptsExportOnlyColumnsSoAnExportCanBeReimported) {
  std::string csv;
  csv += CsvLine(ExportColumns());
  Fields cells(ExportColumns().size());
  cells[0] = "17";
  cells[1] = "listed";
  cells[5] = "goods";
  cells[6] = "雨伞";
  csv += CsvLine(cells);
  auto plan = PlanImport(csv);
  EXPECT_TRUE(plan.ok()) << plan.problems[0].column << " " << plan.problems[0].reason;
  EXPECT_EQ(plan.rows.size(), 1u);
}

TEST(PlanImportTest, CapsTheReportButCountsEverything) {
  std::string csv = "kind,title\n";
  for (std::size_t i = 0; i < limits::kCsvErrorsReportedMax + 50; ++i) csv += "goods,\n";
  auto plan = PlanImport(csv);
  EXPECT_EQ(plan.problems.size(), limits::kCsvErrorsReportedMax);
  EXPECT_EQ(plan.problem_count, limits::kCsvErrorsReportedMax + 50);
}

// The example of docs/resources-csv.md, with the problem the document says it reports.
TEST(PlanImportTest, TheDocumentedExampleReportsItsMissingPoints) {
  const std::string csv =
      "ref,kind,title,description,tags,rule,price_yuan,price_unit,building,lat,lon,capacity,"
      "open_hours,skill,condition,quantity\n"
      "DY-2025-001,物资,冲击电钻,\"家用冲击电钻，带全套钻头\n周末可借\",电钻；工具,免费,,,1号楼,"
      "31.1805,121.4302,,,,九成新,1\n"
      "DY-2025-002,空间,地下车位 B101（工作日白天空闲）,上班时间车位空着,车位、错峰停车,低价,5,"
      "小时,2号楼,,,1,工作日 8:00-18:00,,,\n"
      "DY-2025-003,服务,上门家电维修,\"退休电工，擅长空调、冰箱\",家电维修,积分,,,,,,,,家电维修,,"
      "\n";
  auto plan = PlanImport(csv);
  EXPECT_EQ(
      Report(plan),
      (std::vector<std::tuple<std::size_t, std::string, std::string>>{{4, "points", "required"}}));
  ASSERT_EQ(plan.problems.size(), 1u);
  EXPECT_EQ(plan.problems[0].line, 5u);
  EXPECT_EQ(plan.rows.size(), 2u);
}

TEST(ParseYuanTest, AcceptsUpToTwoDecimals) {
  EXPECT_EQ(ParseYuan("5"), 500);
  EXPECT_EQ(ParseYuan("5.5"), 550);
  EXPECT_EQ(ParseYuan("0.05"), 5);
  EXPECT_EQ(ParseYuan("35.00"), 3500);
  for (auto bad : {"", "-1", "1.234", "1.", ".5", "1,5", "abc", "1e3"}) {
    EXPECT_FALSE(ParseYuan(bad).has_value()) << bad;
  }
}

TEST(SplitListCellTest, SplitsOnAsciiAndChineseSeparators) {
  EXPECT_EQ(SplitListCell("投影仪; 空调；桌椅、白板;;"),
            (std::vector<std::string>{"投影仪", "空调", "桌椅", "白板"}));
  EXPECT_TRUE(SplitListCell("").empty());
}

}  // namespace
}  // namespace linli::resources
