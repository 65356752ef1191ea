#pragma once
// Requests and tickets (诉求与报修): types, categories, the three-colour SLA, routing targets and
// the ticket state machine. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace linli::tickets {

// Every enum has a stable snake_case name used in the API and the database.
// 咨询 consult, 求助 help, 投诉 complaint, 举报 report, 建议 suggestion, 报修 repair.
enum class Type : std::uint8_t { kConsult, kHelp, kComplaint, kReport, kSuggestion, kRepair };
// The SLA colour: red — respond within 24 hours; yellow — 3 working days; blue — 7.
enum class Colour : std::uint8_t { kRed, kYellow, kBlue };
enum class State : std::uint8_t {
  kSubmitted,
  kAccepted,
  kInProgress,
  kWaitingOnResident,  // the SLA clocks are paused
  kResolved,
  kClosed,
  kMerged,  // terminal: a duplicate folded into another ticket
};
enum class AssigneeKind : std::uint8_t { kProperty, kGridWorker, kMerchant, kDepartment };
// How the ticket came in: the resident's own app, a guide on their behalf, a phone call taken
// by staff, or an organisation's system through Open311.
enum class Channel : std::uint8_t { kApp, kAssisted, kPhone, kOpen311 };

std::string_view Name(Type value);
std::string_view Name(Colour value);
std::string_view Name(State value);
std::string_view Name(AssigneeKind value);
std::string_view Name(Channel value);
std::optional<Type> ParseType(std::string_view text);
std::optional<Colour> ParseColour(std::string_view text);
std::optional<State> ParseStatus(std::string_view text);
std::optional<AssigneeKind> ParseAssigneeKind(std::string_view text);
std::optional<Channel> ParseChannel(std::string_view text);
// 咨询, 求助, ... for notifications and the UI's fallback.
std::string_view Label(Type value);

// Queue order: red first.
inline int ColourRank(Colour colour) {
  return static_cast<int>(colour);
}

// Open tickets count against the SLA and sit in a work queue.
bool IsOpen(State status);

// ---------------------------------------------------------------------------------------------
// Categories: a built-in catalogue, also the Open311 services (service_code = code).

struct Category {
  std::string_view code;   // "water_leak"
  std::string_view name;   // "漏水"
  std::string_view group;  // Open311 "group": "报修", "环境", ...
  std::string_view description;
  Type default_type = Type::kRepair;
  Colour default_colour = Colour::kBlue;
};

const std::vector<Category>& Categories();
const Category* FindCategory(std::string_view code);

// ---------------------------------------------------------------------------------------------
// SLA windows

enum class WindowUnit : std::uint8_t { kHours, kWorkingDays };

// "respond within 24 hours" is wall-clock; "within 3 working days" ends at midnight (local
// time) at the end of the 3rd working day after the day the clock started.
struct Window {
  WindowUnit unit = WindowUnit::kWorkingDays;
  int amount = 0;
};

// Response: submitted → accepted. Resolution: submitted → resolved.
Window ResponseWindow(Colour colour);
Window ResolutionWindow(Colour colour);

// The warning fires when this share of a clock's window (wall time) has passed.
inline constexpr int kWarnPercent = 80;
// Queue position of a ticket with no running clock (paused): after every deadline.
inline constexpr std::int64_t kNoDeadline = 9'000'000'000'000'000;

// ---------------------------------------------------------------------------------------------
// State machine
//
//   submitted ──accept──▶ accepted ──start──▶ in_progress ◀──resume── waiting_on_resident
//       │                    │                 │   └──────wait──────────────▲
//       │                    └──resolve──┐     └──resolve──▶ resolved ──close──▶ closed
//       └──resolve (answered at once)────┘                     │  ▲               │
//                                                              │  └───────────────┤
//                        in_progress ◀──reopen (within the reopen window)─────────┘
//   merge: from submitted, accepted, in_progress, waiting_on_resident → merged (terminal).
//   close: only from resolved. Closed and merged are final except for reopen of closed.

enum class Event : std::uint8_t {
  kAccept,
  kStart,
  kWait,
  kResume,
  kResolve,
  kClose,
  kReopen,
  kMerge,
};
std::string_view Name(Event value);

// The state after `event`, or 409 illegal_transition whose detail names the status and event.
Result<State> Transition(State from, Event event);

// ---------------------------------------------------------------------------------------------
// Records

struct Location {
  std::optional<std::int64_t> building_id;
  std::string unit_label;     // "3单元 502" — detail finer than the building, never public
  std::optional<double> lat;  // WGS-84 degrees; together with lon
  std::optional<double> lon;
  std::string address;  // free text (Open311 address_string)

  bool operator==(const Location&) const = default;
};

// The SLA state of one clock (response or resolution).
struct SlaClock {
  std::optional<std::int64_t> due_s;        // nullopt while paused or once met
  std::optional<std::int64_t> warn_at_s;    // when the warning fires
  std::optional<std::int64_t> remaining_s;  // while paused: working or wall seconds left
  std::optional<std::int64_t> met_at_s;     // accepted / resolved
  bool warned = false;
  bool breached = false;

  bool operator==(const SlaClock&) const = default;
};

struct Assignee {
  AssigneeKind kind = AssigneeKind::kProperty;
  std::optional<std::int64_t> user_id;  // a grid worker, merchant or named staff member
  std::string department;               // a government department's name

  bool operator==(const Assignee&) const = default;
};

struct Ticket {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::string code;  // tracking code, canonical form (no separators)
  Type type = Type::kRepair;
  std::string category;
  Colour colour = Colour::kBlue;
  State status = State::kSubmitted;
  Channel channel = Channel::kApp;
  std::string title;
  std::string description;
  Location location;
  std::optional<std::int64_t> reporter_user_id;    // the resident (also in assisted mode)
  std::optional<std::int64_t> entered_by_user_id;  // the guide or staff member who typed it
  std::optional<std::int64_t> api_key_id;          // Open311 submissions
  std::optional<std::string> contact_sealed;       // phone intake: sealed name and number
  Assignee assignee;
  SlaClock response;
  SlaClock resolution;
  bool escalated = false;
  std::optional<std::int64_t> paused_at_s;
  std::optional<std::int64_t> resolved_at_s;
  std::optional<std::int64_t> closed_at_s;
  std::optional<std::int64_t> merged_into_id;
  std::optional<int> rating;  // 1..5 at close
  std::string rating_comment;
  std::string follow_up;  // 回访 note by staff at close
  int reopen_count = 0;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<std::int64_t> photo_ids;

  // The deadline the queue sorts by: response until accepted, then resolution; kNoDeadline
  // while paused or without a running clock.
  std::int64_t QueueDeadline() const;
  // The earliest pending SLA event (a warning or a breach of a running clock), or nullopt.
  std::optional<std::int64_t> NextSlaEvent() const;
};

// One step of a ticket's history. Public steps are shown to anyone with the tracking code.
struct Step {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::int64_t at = 0;
  std::string kind;  // "submitted", "accepted", "note", "escalated", ...
  std::optional<State> from;
  std::optional<State> to;
  std::string actor_role;  // "resident", "property_staff", "system", ...
  std::int64_t actor_user_id = 0;
  std::string note;
  bool is_public = true;
};

// Routing rule: category ("*" = any) and optionally a building or a grid → an assignee. The
// most specific matching rule wins (building > grid > community-wide; exact category > "*").
struct Rule {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::string category = "*";
  std::optional<std::int64_t> building_id;
  std::optional<std::int64_t> grid_id;
  Assignee assignee;
  std::int64_t created_at = 0;
};

// The winning rule for a ticket of `category` at `building_id` (in `grid_id`), or nullopt
// (then the property company handles it). Pure.
const Rule* MatchRule(const std::vector<Rule>& rules, std::string_view category,
                      std::optional<std::int64_t> building_id, std::optional<std::int64_t> grid_id);

// Per-community settings.
struct Settings {
  int reopen_days = 7;                             // reopen allowed this long after resolution
  std::optional<std::int64_t> supervisor_user_id;  // receives breach escalations
};
inline constexpr int kReopenDaysMax = 90;

}  // namespace linli::tickets
