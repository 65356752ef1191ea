#include "resources/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::resources {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Kind, 4> kKinds{{{Kind::kSpace, "space"},
                                 {Kind::kService, "service"},
                                 {Kind::kGoods, "goods"},
                                 {Kind::kManpower, "manpower"}}};
constexpr Names<OwnerType, 5> kOwnerTypes{{{OwnerType::kIndividual, "individual"},
                                           {OwnerType::kMerchant, "merchant"},
                                           {OwnerType::kProperty, "property"},
                                           {OwnerType::kCommunity, "community"},
                                           {OwnerType::kOrganisation, "organisation"}}};
constexpr Names<Availability, 4> kAvailabilities{{{Availability::kAvailable, "available"},
                                                  {Availability::kReserved, "reserved"},
                                                  {Availability::kInUse, "in_use"},
                                                  {Availability::kMaintenance, "maintenance"}}};
constexpr Names<Lifecycle, 5> kLifecycles{{{Lifecycle::kDraft, "draft"},
                                           {Lifecycle::kPendingReview, "pending_review"},
                                           {Lifecycle::kListed, "listed"},
                                           {Lifecycle::kDelisted, "delisted"},
                                           {Lifecycle::kArchived, "archived"}}};
constexpr Names<RuleType, 5> kRuleTypes{{{RuleType::kFree, "free"},
                                         {RuleType::kPrice, "price"},
                                         {RuleType::kPoints, "points"},
                                         {RuleType::kExchange, "exchange"},
                                         {RuleType::kDeposit, "deposit"}}};
constexpr Names<Visibility, 3> kVisibilities{{{Visibility::kCommunity, "community"},
                                              {Visibility::kStreet, "street"},
                                              {Visibility::kCity, "city"}}};
constexpr Names<Condition, 5> kConditions{{{Condition::kNew, "new"},
                                           {Condition::kLikeNew, "like_new"},
                                           {Condition::kGood, "good"},
                                           {Condition::kFair, "fair"},
                                           {Condition::kWorn, "worn"}}};
constexpr Names<Event, 8> kEvents{{{Event::kEdit, "edit"},
                                   {Event::kSubmit, "submit"},
                                   {Event::kWithdraw, "withdraw"},
                                   {Event::kApprove, "approve"},
                                   {Event::kReject, "reject"},
                                   {Event::kReconfirm, "reconfirm"},
                                   {Event::kDelist, "delist"},
                                   {Event::kArchive, "archive"}}};

// The Chinese words people write on survey sheets, besides the stable names.
constexpr Names<Kind, 6> kKindLabels{{{Kind::kSpace, "空间"},
                                      {Kind::kService, "服务"},
                                      {Kind::kGoods, "物资"},
                                      {Kind::kGoods, "物品"},
                                      {Kind::kManpower, "人力"},
                                      {Kind::kManpower, "志愿者"}}};
constexpr Names<OwnerType, 7> kOwnerTypeLabels{{{OwnerType::kIndividual, "个人"},
                                                {OwnerType::kIndividual, "居民"},
                                                {OwnerType::kMerchant, "商户"},
                                                {OwnerType::kProperty, "物业"},
                                                {OwnerType::kCommunity, "社区"},
                                                {OwnerType::kCommunity, "居委会"},
                                                {OwnerType::kOrganisation, "组织"}}};
constexpr Names<RuleType, 7> kRuleTypeLabels{{{RuleType::kFree, "免费"},
                                              {RuleType::kPrice, "低价"},
                                              {RuleType::kPrice, "收费"},
                                              {RuleType::kPoints, "积分"},
                                              {RuleType::kExchange, "置换"},
                                              {RuleType::kExchange, "交换"},
                                              {RuleType::kDeposit, "押金"}}};
constexpr Names<Visibility, 4> kVisibilityLabels{{{Visibility::kCommunity, "本社区"},
                                                  {Visibility::kCommunity, "社区"},
                                                  {Visibility::kStreet, "街道"},
                                                  {Visibility::kCity, "全市"}}};
constexpr Names<Condition, 6> kConditionLabels{{{Condition::kNew, "全新"},
                                                {Condition::kLikeNew, "九成新"},
                                                {Condition::kLikeNew, "几乎全新"},
                                                {Condition::kGood, "良好"},
                                                {Condition::kFair, "一般"},
                                                {Condition::kWorn, "较旧"}}};

template <class E, std::size_t N>
std::string_view NameIn(const Names<E, N>& names, E value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return names.front().second;  // unreachable for valid enumerators
}

template <class E, std::size_t N>
std::optional<E> ParseIn(const Names<E, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool HasControl(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\t')) return false;
    return byte < 0x20 || byte == 0x7f;
  });
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Collects field problems; each field is reported once (its first problem).
class Problems {
 public:
  void Add(std::string_view field, std::string_view reason) {
    const bool seen = std::any_of(errors_.begin(), errors_.end(),
                                  [&](const FieldError& error) { return error.field == field; });
    if (!seen) errors_.push_back({std::string(field), std::string(reason)});
  }
  void Text(std::string_view field, std::string_view text, std::size_t max_bytes, bool required,
            bool allow_newlines = false) {
    if (text.empty()) {
      if (required) Add(field, "required");
    } else if (text.size() > max_bytes) {
      Add(field, "too_long");
    } else if (HasControl(text, allow_newlines)) {
      Add(field, "control_characters");
    }
  }
  void List(std::string_view field, const std::vector<std::string>& items) {
    if (items.size() > limits::kResourceTagsMax) return Add(field, "too_many_items");
    for (const auto& item : items) {
      if (item.empty() || item.size() > limits::kResourceTagBytesMax || HasControl(item, false)) {
        return Add(field, "invalid_item");
      }
    }
  }
  void Count(std::string_view field, const std::optional<std::int64_t>& value) {
    if (value && (*value < 1 || *value > limits::kResourceCountMax)) Add(field, "out_of_range");
  }
  void Amount(std::string_view field, std::int64_t value, std::int64_t max, bool wanted) {
    if (!wanted) {
      if (value != 0) Add(field, "not_for_rule");
    } else if (value == 0) {
      Add(field, "required");
    } else if (value < 0 || value > max) {
      Add(field, "out_of_range");
    }
  }
  void NotForKind(std::string_view field, bool is_set) {
    if (is_set) Add(field, "not_for_kind");
  }
  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

void ValidateAttributes(const CardContent& content, Problems& problems) {
  const auto& a = content.attributes;
  const Kind kind = content.kind;
  if (kind == Kind::kSpace) {
    problems.Count("capacity", a.capacity);
    problems.Text("open_hours", a.open_hours, limits::kResourceShortTextBytesMax, false);
    problems.List("facilities", a.facilities);
  } else {
    problems.NotForKind("capacity", a.capacity.has_value());
    problems.NotForKind("open_hours", !a.open_hours.empty());
    problems.NotForKind("facilities", !a.facilities.empty());
  }
  if (kind == Kind::kService) {
    problems.Text("skill", a.skill, limits::kResourceShortTextBytesMax, true);
    problems.Text("certificate", a.certificate, limits::kResourceShortTextBytesMax, false);
  } else {
    problems.NotForKind("skill", !a.skill.empty());
    problems.NotForKind("certificate", !a.certificate.empty());
  }
  if (kind == Kind::kGoods) {
    problems.Count("quantity", a.quantity);
  } else {
    problems.NotForKind("condition", a.condition.has_value());
    problems.NotForKind("quantity", a.quantity.has_value());
  }
  if (kind == Kind::kManpower) {
    problems.Count("team_size", a.team_size);
    problems.List("skills", a.skills);
  } else {
    problems.NotForKind("team_size", a.team_size.has_value());
    problems.NotForKind("skills", !a.skills.empty());
  }
}

void ValidateRule(const UsageRule& rule, Problems& problems) {
  const bool price = rule.type == RuleType::kPrice;
  problems.Amount("price_fen", rule.price_fen, limits::kResourcePriceFenMax, price);
  if (price) {
    problems.Text("price_unit", rule.price_unit, limits::kResourceShortTextBytesMax, true);
  } else if (!rule.price_unit.empty()) {
    problems.Add("price_unit", "not_for_rule");
  }
  problems.Amount("points", rule.points, limits::kResourcePointsMax,
                  rule.type == RuleType::kPoints);
  problems.Amount("deposit_points", rule.deposit_points, limits::kResourcePointsMax,
                  rule.type == RuleType::kDeposit);
  if (rule.type == RuleType::kExchange) {
    problems.Text("exchange_terms", rule.exchange_terms, limits::kResourceShortTextBytesMax, true);
  } else if (!rule.exchange_terms.empty()) {
    problems.Add("exchange_terms", "not_for_rule");
  }
}

void ValidateLocation(const Location& location, Problems& problems) {
  if (location.building_id && *location.building_id <= 0) {
    problems.Add("building_id", "out_of_range");
  }
  if (location.lat.has_value() != location.lon.has_value()) {
    problems.Add(location.lat ? "lon" : "lat", "required");
    return;
  }
  if (location.lat && !(*location.lat >= -90 && *location.lat <= 90)) {
    problems.Add("lat", "out_of_range");
  }
  if (location.lon && !(*location.lon >= -180 && *location.lon <= 180)) {
    problems.Add("lon", "out_of_range");
  }
}

}  // namespace

std::string_view Name(Kind value) {
  return NameIn(kKinds, value);
}
std::string_view Name(OwnerType value) {
  return NameIn(kOwnerTypes, value);
}
std::string_view Name(Availability value) {
  return NameIn(kAvailabilities, value);
}
std::string_view Name(Lifecycle value) {
  return NameIn(kLifecycles, value);
}
std::string_view Name(RuleType value) {
  return NameIn(kRuleTypes, value);
}
std::string_view Name(Visibility value) {
  return NameIn(kVisibilities, value);
}
std::string_view Name(Condition value) {
  return NameIn(kConditions, value);
}
std::string_view Name(Event value) {
  return NameIn(kEvents, value);
}

std::optional<Kind> ParseKind(std::string_view text) {
  return ParseIn(kKinds, text);
}
std::optional<OwnerType> ParseOwnerType(std::string_view text) {
  return ParseIn(kOwnerTypes, text);
}
std::optional<Availability> ParseAvailability(std::string_view text) {
  return ParseIn(kAvailabilities, text);
}
std::optional<Lifecycle> ParseLifecycle(std::string_view text) {
  return ParseIn(kLifecycles, text);
}
std::optional<RuleType> ParseRuleType(std::string_view text) {
  return ParseIn(kRuleTypes, text);
}
std::optional<Visibility> ParseVisibility(std::string_view text) {
  return ParseIn(kVisibilities, text);
}
std::optional<Condition> ParseCondition(std::string_view text) {
  return ParseIn(kConditions, text);
}

std::optional<Kind> ParseKindLabel(std::string_view text) {
  if (auto value = ParseKind(text)) return value;
  return ParseIn(kKindLabels, text);
}
std::optional<OwnerType> ParseOwnerTypeLabel(std::string_view text) {
  if (auto value = ParseOwnerType(text)) return value;
  return ParseIn(kOwnerTypeLabels, text);
}
std::optional<RuleType> ParseRuleTypeLabel(std::string_view text) {
  if (auto value = ParseRuleType(text)) return value;
  return ParseIn(kRuleTypeLabels, text);
}
std::optional<Visibility> ParseVisibilityLabel(std::string_view text) {
  if (auto value = ParseVisibility(text)) return value;
  return ParseIn(kVisibilityLabels, text);
}
std::optional<Condition> ParseConditionLabel(std::string_view text) {
  if (auto value = ParseCondition(text)) return value;
  return ParseIn(kConditionLabels, text);
}

namespace {

// Where an event leads when it is allowed; names the "to" of an illegal transition.
Lifecycle NominalTarget(Event event) {
  switch (event) {
    case Event::kEdit: return Lifecycle::kPendingReview;
    case Event::kSubmit: return Lifecycle::kPendingReview;
    case Event::kWithdraw: return Lifecycle::kDraft;
    case Event::kApprove: return Lifecycle::kListed;
    case Event::kReject: return Lifecycle::kDraft;
    case Event::kReconfirm: return Lifecycle::kListed;
    case Event::kDelist: return Lifecycle::kDelisted;
    case Event::kArchive: return Lifecycle::kArchived;
  }
  return Lifecycle::kDraft;
}

std::optional<Lifecycle> Next(Lifecycle from, Event event) {
  using L = Lifecycle;
  switch (event) {
    case Event::kEdit:
      if (from == L::kListed) return L::kPendingReview;  // the public sees only reviewed text
      if (from == L::kArchived) return std::nullopt;
      return from;
    case Event::kSubmit:
      if (from == L::kDraft || from == L::kDelisted) return L::kPendingReview;
      return std::nullopt;
    case Event::kWithdraw:
    case Event::kReject:
      if (from == L::kPendingReview) return L::kDraft;
      return std::nullopt;
    case Event::kApprove:
      if (from == L::kPendingReview) return L::kListed;
      return std::nullopt;
    case Event::kReconfirm:
      if (from == L::kListed) return L::kListed;
      return std::nullopt;
    case Event::kDelist:
      if (from == L::kListed) return L::kDelisted;
      return std::nullopt;
    case Event::kArchive:
      if (from == L::kArchived) return std::nullopt;
      return L::kArchived;
  }
  return std::nullopt;
}

}  // namespace

Result<Lifecycle> Transition(Lifecycle from, Event event) {
  if (auto next = Next(from, event)) return *next;
  return Error{Errc::kConflict, "illegal_transition",
               fmt::format("cannot {} a card that is {}: {} → {} is not allowed", Name(event),
                           Name(from), Name(from), Name(NominalTarget(event)))};
}

std::vector<FieldError> Validate(const CardContent& content) {
  Problems problems;
  problems.Text("title", content.title, limits::kResourceTitleBytesMax, true);
  problems.Text("description", content.description, limits::kResourceDescriptionBytesMax, false,
                true);
  problems.List("tags", content.tags);
  ValidateAttributes(content, problems);
  ValidateRule(content.rule, problems);
  ValidateLocation(content.location, problems);
  return problems.Take();
}

bool CardPatch::empty() const {
  return !kind && !owner_type && !title && !description && !tags && !visibility && !attributes &&
         !rule && !rule_amounts && !location;
}

CardContent Apply(const CardContent& current, const CardPatch& patch) {
  CardContent next = current;
  if (patch.kind) next.kind = *patch.kind;
  if (patch.owner_type) next.owner_type = *patch.owner_type;
  if (patch.title) next.title = *patch.title;
  if (patch.description) next.description = *patch.description;
  if (patch.tags) next.tags = NormaliseList(*patch.tags);
  if (patch.visibility) next.visibility = *patch.visibility;
  if (patch.attributes) {
    next.attributes = *patch.attributes;
    next.attributes.facilities = NormaliseList(next.attributes.facilities);
    next.attributes.skills = NormaliseList(next.attributes.skills);
  } else if (patch.kind && *patch.kind != current.kind) {
    next.attributes = KindAttributes{};  // the old kind's attributes mean nothing now
  }
  if (patch.rule_amounts) next.rule = *patch.rule_amounts;
  next.rule.type = patch.rule.value_or(current.rule.type);
  if (patch.rule && !patch.rule_amounts && *patch.rule != current.rule.type) {
    next.rule = UsageRule{};  // the old rule's amounts mean nothing now
    next.rule.type = *patch.rule;
  }
  if (patch.location) next.location = *patch.location;
  return next;
}

std::vector<std::string> NormaliseList(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    const std::string trimmed(Trim(item));
    if (trimmed.empty() || std::find(out.begin(), out.end(), trimmed) != out.end()) continue;
    out.push_back(trimmed);
  }
  return out;
}

std::vector<std::string> SearchTags(const CardContent& content) {
  std::vector<std::string> tags = content.tags;
  const auto& a = content.attributes;
  if (!a.skill.empty()) tags.push_back(a.skill);
  tags.insert(tags.end(), a.skills.begin(), a.skills.end());
  tags.insert(tags.end(), a.facilities.begin(), a.facilities.end());
  if (a.condition) tags.push_back(fmt::format("condition:{}", Name(*a.condition)));
  tags.push_back(fmt::format("owner:{}", Name(content.owner_type)));
  return NormaliseList(tags);
}

std::string Excerpt(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  std::size_t at = 0;
  while (at < text.size() && chars < max_chars) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    at = std::min(text.size(), at + length);
    ++chars;
  }
  if (at >= text.size()) return std::string(text);
  return std::string(text.substr(0, at)) + "…";
}

std::optional<std::string> DetectImageType(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (bytes.size() >= 8 && bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") {
    return "image/webp";
  }
  return std::nullopt;
}

}  // namespace linli::resources
