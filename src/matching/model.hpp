#pragma once
// Needs (需求) and what the matcher says about them (SPEC §2). Pure: no I/O.
//
// Lifecycle:
//   open ──(a booking or package taken for it / the owner picks a match)──▶ matched
//   matched ──(the booking completes / the owner confirms)──▶ fulfilled
//   open | matched ──(window_to passes)──▶ expired          open | matched ──▶ withdrawn
// fulfilled, expired and withdrawn are final.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matching/index.hpp"

namespace linli::matching {

enum class NeedStatus : std::uint8_t { kOpen, kMatched, kFulfilled, kExpired, kWithdrawn };
enum class Priority : std::uint8_t { kRegular, kUrgent };
std::string_view Name(NeedStatus value);
std::string_view Name(Priority value);
std::string_view Name(BudgetType value);  // "free" | "points" | "price" | "any"
std::optional<NeedStatus> ParseNeedStatus(std::string_view text);
std::optional<Priority> ParsePriority(std::string_view text);
std::optional<BudgetType> ParseBudgetType(std::string_view text);

// Who the need is for: kept coarse on purpose (no birth dates, no diagnoses).
struct NeedProfile {
  std::string age_group;                   // "child" | "adult" | "senior" | "" (not said)
  std::vector<std::string> special_needs;  // e.g. "行动不便", "视力障碍"
};

struct Budget {
  BudgetType type = BudgetType::kAny;
  std::int64_t max_points = 0;     // type points
  std::int64_t max_price_fen = 0;  // type price
};

// One part of a composite need (资源包): e.g. {label "老师", kind "service", tags ["手机教学"]},
// {label "场地", kind "space", tags ["活动室"]}, {label "平板", kind "goods", tags ["平板电脑"],
// quantity 5}. quantity counts units of one card's capacity or several cards.
struct NeedPart {
  std::string label;
  std::optional<std::string> kind;
  std::vector<std::string> tags;
  std::string text;
  std::int64_t quantity = 1;
};

struct Need {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t owner_user_id = 0;      // whom the need is for
  std::int64_t posted_by_user_id = 0;  // a guide posting on the owner's behalf, or the owner
  NeedProfile profile;
  std::optional<std::string> kind;
  std::string title;
  std::string description;
  std::vector<std::string> tags;
  std::int64_t window_from_s = 0;  // UTC epoch seconds, [from, to)
  std::int64_t window_to_s = 0;
  std::int64_t duration_s = 0;  // how long it is needed inside the window (0: all of it)
  std::optional<double> lat;    // where: a point (from home when the owner's building
  std::optional<double> lon;    //   has coordinates), and a radius
  std::int64_t radius_m = 1000;
  Budget budget;
  Priority priority = Priority::kRegular;
  NeedStatus status = NeedStatus::kOpen;
  std::vector<NeedPart> parts;  // empty: a simple need; two or more: a composite need
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

}  // namespace linli::matching
