#include "matching/model.hpp"

#include "core/names.hpp"

namespace linli::matching {
namespace {

constexpr Names<NeedStatus, 5> kStatuses{{{NeedStatus::kOpen, "open"},
                                          {NeedStatus::kMatched, "matched"},
                                          {NeedStatus::kFulfilled, "fulfilled"},
                                          {NeedStatus::kExpired, "expired"},
                                          {NeedStatus::kWithdrawn, "withdrawn"}}};
constexpr Names<Priority, 2> kPriorities{
    {{Priority::kRegular, "regular"}, {Priority::kUrgent, "urgent"}}};
constexpr Names<BudgetType, 4> kBudgets{{{BudgetType::kFree, "free"},
                                         {BudgetType::kPoints, "points"},
                                         {BudgetType::kPrice, "price"},
                                         {BudgetType::kAny, "any"}}};

}  // namespace

std::string_view Name(NeedStatus value) {
  return NameIn(kStatuses, value);
}
std::string_view Name(Priority value) {
  return NameIn(kPriorities, value);
}
std::string_view Name(BudgetType value) {
  return NameIn(kBudgets, value);
}
std::optional<NeedStatus> ParseNeedStatus(std::string_view text) {
  return ParseIn(kStatuses, text);
}
std::optional<Priority> ParsePriority(std::string_view text) {
  return ParseIn(kPriorities, text);
}
std::optional<BudgetType> ParseBudgetType(std::string_view text) {
  return ParseIn(kBudgets, text);
}

}  // namespace linli::matching
