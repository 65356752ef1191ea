#include "households/model.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <utility>

#include <fmt/format.h>

namespace linli::households {
namespace {

template <class Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return names.front().second;
}

template <class Enum, std::size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& names,
                          std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// Stable names: stored in the database and used in the API.
constexpr std::array<std::pair<Willingness, std::string_view>, 4> kWillingness{{
    {Willingness::kUnknown, "unknown"},
    {Willingness::kYes, "yes"},
    {Willingness::kMaybe, "maybe"},
    {Willingness::kNo, "no"},
}};
constexpr std::array<std::pair<ConsentKind, std::string_view>, 2> kConsentKinds{{
    {ConsentKind::kHealth, "health"},
    {ConsentKind::kGuardian, "guardian"},
}};
constexpr std::array<std::pair<ConsentMethod, std::string_view>, 3> kConsentMethods{{
    {ConsentMethod::kInPerson, "in_person"},
    {ConsentMethod::kPaper, "paper"},
    {ConsentMethod::kOnline, "online"},
}};
constexpr std::array<std::pair<HistoryKind, std::string_view>, 4> kHistoryKinds{{
    {HistoryKind::kParticipation, "participation"},
    {HistoryKind::kFeedback, "feedback"},
    {HistoryKind::kVisit, "visit"},
    {HistoryKind::kService, "service"},
}};

constexpr int kYearMin = 1900;
constexpr int kYearMax = 2200;

struct Civil {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
};

std::optional<Civil> ParseCivil(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* begin = text.data() + at;
    auto [ptr, ec] = std::from_chars(begin, begin + length, value);
    if (ec != std::errc{} || ptr != begin + length) return std::nullopt;
    return value;
  };
  auto year = number(0, 4);
  auto month = number(5, 2);
  auto day = number(8, 2);
  if (!year || !month || !day || *year < kYearMin || *year > kYearMax || *month < 1 || *day < 1) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return Civil{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
}

}  // namespace

std::string_view WillingnessName(Willingness value) {
  return NameOf(kWillingness, value);
}
std::optional<Willingness> ParseWillingness(std::string_view name) {
  return Parse(kWillingness, name);
}
std::string_view ConsentKindName(ConsentKind kind) {
  return NameOf(kConsentKinds, kind);
}
std::optional<ConsentKind> ParseConsentKind(std::string_view name) {
  return Parse(kConsentKinds, name);
}
std::string_view ConsentMethodName(ConsentMethod method) {
  return NameOf(kConsentMethods, method);
}
std::optional<ConsentMethod> ParseConsentMethod(std::string_view name) {
  return Parse(kConsentMethods, name);
}
std::string_view HistoryKindName(HistoryKind kind) {
  return NameOf(kHistoryKinds, kind);
}
std::optional<HistoryKind> ParseHistoryKind(std::string_view name) {
  return Parse(kHistoryKinds, name);
}

std::optional<std::int64_t> ParseCivilDate(std::string_view text) {
  auto civil = ParseCivil(text);
  if (!civil) return std::nullopt;
  const std::chrono::sys_days days{std::chrono::year_month_day{std::chrono::year{civil->year},
                                                               std::chrono::month{civil->month},
                                                               std::chrono::day{civil->day}}};
  return days.time_since_epoch().count();
}

std::optional<int> AgeYears(std::string_view birth_date, std::int64_t now_s) {
  auto born = ParseCivil(birth_date);
  if (!born) return std::nullopt;
  // The UTC date: in Asia/Shanghai a birthday starts up to 8 hours earlier, so a child counts as
  // under 14 for a few hours longer than it strictly is — the protective side.
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{now_s}})};
  int age = static_cast<int>(today.year()) - born->year;
  const unsigned month = static_cast<unsigned>(today.month());
  const unsigned day = static_cast<unsigned>(today.day());
  if (month < born->month || (month == born->month && day < born->day)) --age;
  return age;
}

std::string CivilDateOf(std::int64_t epoch_s) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds{std::chrono::seconds{epoch_s}})};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace linli::households
