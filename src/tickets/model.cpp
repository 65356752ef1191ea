#include "tickets/model.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace linli::tickets {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Type, 6> kTypes{{{Type::kConsult, "consult"},
                                 {Type::kHelp, "help"},
                                 {Type::kComplaint, "complaint"},
                                 {Type::kReport, "report"},
                                 {Type::kSuggestion, "suggestion"},
                                 {Type::kRepair, "repair"}}};
constexpr Names<Type, 6> kTypeLabels{{{Type::kConsult, "咨询"},
                                      {Type::kHelp, "求助"},
                                      {Type::kComplaint, "投诉"},
                                      {Type::kReport, "举报"},
                                      {Type::kSuggestion, "建议"},
                                      {Type::kRepair, "报修"}}};
constexpr Names<Colour, 3> kColours{
    {{Colour::kRed, "red"}, {Colour::kYellow, "yellow"}, {Colour::kBlue, "blue"}}};
constexpr Names<State, 7> kStatuses{{{State::kSubmitted, "submitted"},
                                     {State::kAccepted, "accepted"},
                                     {State::kInProgress, "in_progress"},
                                     {State::kWaitingOnResident, "waiting_on_resident"},
                                     {State::kResolved, "resolved"},
                                     {State::kClosed, "closed"},
                                     {State::kMerged, "merged"}}};
constexpr Names<AssigneeKind, 4> kAssigneeKinds{{{AssigneeKind::kProperty, "property"},
                                                 {AssigneeKind::kGridWorker, "grid_worker"},
                                                 {AssigneeKind::kMerchant, "merchant"},
                                                 {AssigneeKind::kDepartment, "department"}}};
constexpr Names<Channel, 4> kChannels{{{Channel::kApp, "app"},
                                       {Channel::kAssisted, "assisted"},
                                       {Channel::kPhone, "phone"},
                                       {Channel::kOpen311, "open311"}}};
constexpr Names<Event, 8> kEvents{{{Event::kAccept, "accept"},
                                   {Event::kStart, "start"},
                                   {Event::kWait, "wait"},
                                   {Event::kResume, "resume"},
                                   {Event::kResolve, "resolve"},
                                   {Event::kClose, "close"},
                                   {Event::kReopen, "reopen"},
                                   {Event::kMerge, "merge"}}};

template <class E, std::size_t N>
std::string_view NameIn(const Names<E, N>& names, E value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> ParseIn(const Names<E, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(Type value) {
  return NameIn(kTypes, value);
}
std::string_view Name(Colour value) {
  return NameIn(kColours, value);
}
std::string_view Name(State value) {
  return NameIn(kStatuses, value);
}
std::string_view Name(AssigneeKind value) {
  return NameIn(kAssigneeKinds, value);
}
std::string_view Name(Channel value) {
  return NameIn(kChannels, value);
}
std::string_view Name(Event value) {
  return NameIn(kEvents, value);
}
std::string_view Label(Type value) {
  return NameIn(kTypeLabels, value);
}
std::optional<Type> ParseType(std::string_view text) {
  return ParseIn(kTypes, text);
}
std::optional<Colour> ParseColour(std::string_view text) {
  return ParseIn(kColours, text);
}
std::optional<State> ParseStatus(std::string_view text) {
  return ParseIn(kStatuses, text);
}
std::optional<AssigneeKind> ParseAssigneeKind(std::string_view text) {
  return ParseIn(kAssigneeKinds, text);
}
std::optional<Channel> ParseChannel(std::string_view text) {
  return ParseIn(kChannels, text);
}

bool IsOpen(State status) {
  switch (status) {
    case State::kSubmitted:
    case State::kAccepted:
    case State::kInProgress:
    case State::kWaitingOnResident: return true;
    case State::kResolved:
    case State::kClosed:
    case State::kMerged: return false;
  }
  return false;
}

const std::vector<Category>& Categories() {
  // Colours follow common 12345-hotline practice: danger to people or property is red,
  // everyday failures yellow, nuisances and advice blue. Staff may re-colour at acceptance.
  static const std::vector<Category> kCategories{
      {"water_leak", "漏水渗水", "报修", "屋顶、管道或邻里间漏水渗水", Type::kRepair, Colour::kRed},
      {"elevator", "电梯故障", "报修", "电梯停运、困人或异响", Type::kRepair, Colour::kRed},
      {"power_outage", "停电断水", "报修", "楼栋或单元停电、停水", Type::kRepair, Colour::kRed},
      {"gas_safety", "燃气安全", "安全", "燃气异味、管线隐患", Type::kReport, Colour::kRed},
      {"plumbing", "下水堵塞", "报修", "下水道、化粪池堵塞", Type::kRepair, Colour::kYellow},
      {"lighting", "公共照明", "报修", "楼道灯、路灯损坏", Type::kRepair, Colour::kYellow},
      {"door_access", "门禁对讲", "报修", "单元门、门禁、对讲故障", Type::kRepair, Colour::kYellow},
      {"sanitation", "环境卫生", "环境", "垃圾清运、楼道卫生", Type::kComplaint, Colour::kYellow},
      {"property_service", "物业服务", "物业", "物业服务质量", Type::kComplaint, Colour::kYellow},
      {"elder_help", "老人求助", "求助", "独居老人、行动不便居民求助", Type::kHelp,
       Colour::kYellow},
      {"noise", "噪音扰民", "环境", "装修、广场舞、商铺噪音", Type::kComplaint, Colour::kBlue},
      {"parking", "停车管理", "秩序", "占用消防通道、乱停车", Type::kComplaint, Colour::kBlue},
      {"greenery", "绿化养护", "环境", "树木修剪、草坪养护", Type::kRepair, Colour::kBlue},
      {"illegal_building", "违章搭建", "秩序", "违章搭建、占用公共空间", Type::kReport,
       Colour::kBlue},
      {"policy", "政策咨询", "咨询", "社保、补贴、办事流程咨询", Type::kConsult, Colour::kBlue},
      {"suggestion", "意见建议", "建议", "对社区治理与服务的建议", Type::kSuggestion,
       Colour::kBlue},
      {"other", "其他", "其他", "其他诉求", Type::kHelp, Colour::kBlue},
  };
  return kCategories;
}

const Category* FindCategory(std::string_view code) {
  for (const auto& category : Categories()) {
    if (category.code == code) return &category;
  }
  return nullptr;
}

Window ResponseWindow(Colour colour) {
  switch (colour) {
    case Colour::kRed: return {WindowUnit::kHours, 24};
    case Colour::kYellow: return {WindowUnit::kWorkingDays, 3};
    case Colour::kBlue: return {WindowUnit::kWorkingDays, 7};
  }
  return {WindowUnit::kWorkingDays, 7};
}

Window ResolutionWindow(Colour colour) {
  switch (colour) {
    case Colour::kRed: return {WindowUnit::kWorkingDays, 3};
    case Colour::kYellow: return {WindowUnit::kWorkingDays, 10};
    case Colour::kBlue: return {WindowUnit::kWorkingDays, 15};
  }
  return {WindowUnit::kWorkingDays, 15};
}

std::int64_t Ticket::QueueDeadline() const {
  if (!response.met_at_s && response.due_s) return *response.due_s;
  if (resolution.due_s) return *resolution.due_s;
  return kNoDeadline;
}

std::optional<std::int64_t> Ticket::NextSlaEvent() const {
  if (!IsOpen(status) || paused_at_s) return std::nullopt;
  std::optional<std::int64_t> next;
  for (const SlaClock* clock : {&response, &resolution}) {
    if (clock->met_at_s || !clock->due_s) continue;
    std::optional<std::int64_t> event;
    if (!clock->warned && clock->warn_at_s) {
      event = clock->warn_at_s;
    } else if (!clock->breached) {
      event = clock->due_s;
    }
    if (event && (!next || *event < *next)) next = event;
  }
  return next;
}

Result<State> Transition(State from, Event event) {
  std::optional<State> to;
  switch (event) {
    case Event::kAccept:
      if (from == State::kSubmitted) to = State::kAccepted;
      break;
    case Event::kStart:
      if (from == State::kAccepted) to = State::kInProgress;
      break;
    case Event::kWait:
      if (from == State::kInProgress) to = State::kWaitingOnResident;
      break;
    case Event::kResume:
      if (from == State::kWaitingOnResident) to = State::kInProgress;
      break;
    case Event::kResolve:
      if (from == State::kSubmitted || from == State::kAccepted || from == State::kInProgress ||
          from == State::kWaitingOnResident) {
        to = State::kResolved;
      }
      break;
    case Event::kClose:
      if (from == State::kResolved) to = State::kClosed;
      break;
    case Event::kReopen:
      if (from == State::kResolved || from == State::kClosed) to = State::kInProgress;
      break;
    case Event::kMerge:
      if (IsOpen(from)) to = State::kMerged;
      break;
  }
  if (!to) {
    return ConflictError("illegal_transition",
                         fmt::format("cannot {} a ticket that is {}", Name(event), Name(from)));
  }
  return *to;
}

const Rule* MatchRule(const std::vector<Rule>& rules, std::string_view category,
                      std::optional<std::int64_t> building_id,
                      std::optional<std::int64_t> grid_id) {
  const Rule* best = nullptr;
  int best_score = -1;
  for (const auto& rule : rules) {
    const bool exact_category = rule.category == category;
    if (!exact_category && rule.category != "*") continue;
    int place = 0;
    if (rule.building_id) {
      if (rule.building_id != building_id) continue;
      place = 2;
    } else if (rule.grid_id) {
      if (!grid_id || rule.grid_id != grid_id) continue;
      place = 1;
    }
    // Place beats category: a building's own handler is the better guess for any category.
    const int score = place * 2 + (exact_category ? 1 : 0);
    if (score > best_score || (score == best_score && best != nullptr && rule.id < best->id)) {
      best = &rule;
      best_score = score;
    }
  }
  return best;
}

}  // namespace linli::tickets
