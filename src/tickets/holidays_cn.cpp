#include "tickets/holidays_cn.hpp"

#include <string>

namespace linli::tickets {
namespace {

struct Span {
  int year, month, first, last;  // inclusive day range within one month
  bool working;
  const char* note;
};

std::vector<CalendarDay> Expand(const std::vector<Span>& spans) {
  std::vector<CalendarDay> days;
  for (const auto& span : spans) {
    for (int d = span.first; d <= span.last; ++d) {
      auto day = DayFromCivil(span.year, span.month, d);
      if (day) days.push_back({*day, span.working, span.note});
    }
  }
  return days;
}

// 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电, 2025-11-04), as published by Xinhua.
std::vector<Span> Spans2026() {
  return {
      {2026, 1, 1, 3, false, "元旦"},
      {2026, 1, 4, 4, true, "元旦调休上班"},
      {2026, 2, 14, 14, true, "春节调休上班"},
      {2026, 2, 15, 23, false, "春节"},
      {2026, 2, 28, 28, true, "春节调休上班"},
      {2026, 4, 4, 6, false, "清明节"},
      {2026, 5, 1, 5, false, "劳动节"},
      {2026, 5, 9, 9, true, "劳动节调休上班"},
      {2026, 6, 19, 21, false, "端午节"},
      {2026, 9, 20, 20, true, "国庆节调休上班"},
      {2026, 9, 25, 27, false, "中秋节"},
      {2026, 10, 1, 7, false, "国庆节"},
      {2026, 10, 10, 10, true, "国庆节调休上班"},
  };
}

// PROVISIONAL: the notice for 2027 was not available when this was written. These are only the
// statutory holidays of 全国年节及纪念日放假办法 (2024 revision) on their 2027 dates — 元旦 1 day,
// 春节 4 days (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3 — with no 调休 bridging
// days or make-up working days. Admins must confirm or edit 2027 once the notice is out.
std::vector<Span> Spans2027() {
  return {
      {2027, 1, 1, 1, false, "元旦"},    {2027, 2, 5, 8, false, "春节"},
      {2027, 4, 5, 5, false, "清明节"},  {2027, 5, 1, 2, false, "劳动节"},
      {2027, 6, 9, 9, false, "端午节"},  {2027, 9, 15, 15, false, "中秋节"},
      {2027, 10, 1, 3, false, "国庆节"},
  };
}

}  // namespace

const std::vector<OfficialYear>& OfficialYears() {
  static const std::vector<OfficialYear> kYears{
      {2026, true, "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
       Expand(Spans2026())},
      {2027, false,
       "法定节假日（全国年节及纪念日放假办法）；未含调休，待国务院通知发布后由管理员确认",
       Expand(Spans2027())},
  };
  return kYears;
}

const OfficialYear* FindOfficialYear(int year) {
  for (const auto& official : OfficialYears()) {
    if (official.year == year) return &official;
  }
  return nullptr;
}

}  // namespace linli::tickets
