// Visitor passes and the gate, plus what every part of the service shares.
#include "property/service.hpp"

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/time_zone.hpp"
#include "property/internal.hpp"
#include "property/pass_token.hpp"

namespace linli::property {

using internal::CheckText;
using internal::Draft;
using internal::EffectiveUser;
using internal::IsPropertyStaff;
using internal::RequireScope;
using internal::RequireSignedIn;

namespace {

constexpr std::string_view kGateScope = "gate:verify";
constexpr std::size_t kPassUsesListed = 100;

std::string PhoneContext(std::int64_t pass_id) {
  return crypto::SealContext("visitor_passes", pass_id, "visitor_phone");
}

// Phones as people type them: digits with an optional leading +, spaces and dashes.
Status CheckPhone(const std::optional<std::string>& phone) {
  if (!phone) return Ok();
  LINLI_TRY(CheckText("visitor_phone", *phone, limits::kVisitorPhoneBytesMax, true));
  int digits = 0;
  for (std::size_t i = 0; i < phone->size(); ++i) {
    const char c = (*phone)[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (!(c == ' ' || c == '-' || (c == '+' && i == 0))) {
      return InvalidFieldError("visitor_phone", "invalid", "digits, spaces and dashes only");
    }
  }
  if (digits < 5) return InvalidFieldError("visitor_phone", "invalid", "too few digits");
  return Ok();
}

Status CheckPassRequest(const PassRequest& request, std::int64_t now_s) {
  LINLI_TRY(CheckText("visitor_label", request.visitor_label, limits::kVisitorLabelBytesMax, true));
  LINLI_TRY(CheckText("purpose", request.purpose, limits::kPassPurposeBytesMax, false));
  LINLI_TRY(CheckPhone(request.visitor_phone));
  if (request.valid_from < now_s - limits::kPassBackdateSMax ||
      request.valid_from > now_s + limits::kPassAdvanceSMax) {
    return InvalidFieldError("valid_from", "out_of_range",
                             "a pass starts between now and 30 days ahead");
  }
  const std::int64_t length = request.valid_until - request.valid_from;
  if (length <= 0 || length > limits::kPassWindowSMax) {
    return InvalidFieldError("valid_until", "out_of_range",
                             "a pass lasts more than zero seconds and at most 7 days");
  }
  if (request.mode == PassMode::kSingleUse && request.max_uses && *request.max_uses != 1) {
    return InvalidFieldError("max_uses", "out_of_range", "a single-use pass has one use");
  }
  if (request.max_uses && (*request.max_uses < 1 || *request.max_uses > limits::kPassUsesMax)) {
    return InvalidFieldError("max_uses", "out_of_range", "1 to 50 uses");
  }
  return Ok();
}

// The gate's label goes to visitor_pass_uses; the audit entry keeps to the decision.
std::string GateDetails(bool allowed, GateReason reason) {
  return fmt::format(R"({{"allowed":{},"reason":"{}"}})", allowed ? "true" : "false", Name(reason));
}

}  // namespace

PropertyService::PropertyService(storage::Store& store, const audit::AuditService& audit,
                                 const notify::NotifyService& notify, const Clock& clock,
                                 Random& random, const crypto::KeyRing& keys,
                                 PaymentProvider& payments)
    : store_(store),
      audit_(audit),
      notify_(notify),
      clock_(clock),
      random_(random),
      keys_(keys),
      payments_(payments) {}

Result<std::int64_t> PropertyService::CommunityFor(const Actor& actor,
                                                   std::int64_t community_id) const {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.api_key_id) {
    // A key belongs to one community: any other is not found.
    if (community_id != 0 && community_id != actor.api_key_community_id) return NotFoundError();
    return actor.api_key_community_id.value_or(0);
  }
  if (community_id == 0) community_id = actor.current_community_id.value_or(0);
  if (community_id == 0) {
    return InvalidFieldError("community_id", "required", "no community given or selected");
  }
  if (!actor.system && !actor.IsMember(community_id)) return NotFoundError();
  return community_id;
}

Result<std::string> PropertyService::Today(storage::Session& session,
                                           std::int64_t community_id) const {
  LINLI_ASSIGN_OR_RETURN(auto zone_name, repo::CommunityTimezone(session, community_id));
  auto zone = TimeZone::Find(zone_name.value_or("Asia/Shanghai"));
  const TimeZone tz = zone ? *zone : TimeZone::Default();
  return FormatIsoDate(tz.ToLocal(clock_.NowEpochS()).date.day);
}

// ---------------------------------------------------------------------------------------------
// Visitor passes

Result<PassView> PropertyService::ViewOf(const Actor& actor, const repo::PassRow& row) const {
  PassView view{row.pass, row.building_name, false, std::nullopt};
  view.mine = !actor.api_key_id && row.pass.created_by == EffectiveUser(actor);
  if (!view.mine) {
    view.pass.code.clear();  // staff see who is expected, not the credential
    return view;
  }
  if (row.phone_sealed) {
    LINLI_ASSIGN_OR_RETURN(view.pass.visitor_phone,
                           keys_.Open(*row.phone_sealed, PhoneContext(row.pass.id)));
  }
  if (!row.pass.revoked_at && row.pass.valid_until > clock_.NowEpochS()) {
    LINLI_ASSIGN_OR_RETURN(view.token, IssueToken(keys_, ClaimsOf(row.pass), random_));
  }
  return view;
}

Result<std::int64_t> PropertyService::InsertPassWithCode(storage::Session& session,
                                                         VisitorPass& pass) const {
  for (int attempt = 0; attempt < limits::kPassCodeAttemptsMax; ++attempt) {
    pass.code = NewPassCode(random_);
    LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertPass(session, pass));
    if (id) return *id;
  }
  return Error{Errc::kUnavailable, "pass_codes_exhausted",
               "no free pass code was found; try again"};
}

Result<PassView> PropertyService::CreatePass(const Actor& actor, std::int64_t community_id,
                                             const PassRequest& request) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.api_key_id || EffectiveUser(actor) == 0) {
    return ForbiddenError("forbidden", "visitor passes are issued by residents for their guests");
  }
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  const std::int64_t now = clock_.NowEpochS();
  LINLI_TRY(CheckPassRequest(request, now));
  VisitorPass pass;
  pass.community_id = community_id;
  pass.created_by = EffectiveUser(actor);
  pass.visitor_label = request.visitor_label;
  pass.purpose = request.purpose;
  pass.mode = request.mode;
  pass.max_uses = request.mode == PassMode::kSingleUse
                      ? 1
                      : request.max_uses.value_or(limits::kPassWindowUsesDefault);
  pass.valid_from = request.valid_from;
  pass.valid_until = request.valid_until;
  pass.created_at = now;
  LINLI_ASSIGN_OR_RETURN(
      auto row, store_.WriteValue([&](storage::Session& session) -> Result<repo::PassRow> {
        LINLI_ASSIGN_OR_RETURN(auto home, repo::HomeOf(session, pass.created_by, community_id));
        if (home) {
          pass.household_id = home->household_id;
          pass.building_id = home->building_id;
        }
        LINLI_ASSIGN_OR_RETURN(pass.id, InsertPassWithCode(session, pass));
        if (request.visitor_phone) {
          LINLI_ASSIGN_OR_RETURN(
              auto sealed, keys_.Seal(*request.visitor_phone, PhoneContext(pass.id), random_));
          LINLI_TRY(repo::SetPhoneSealed(session, community_id, pass.id, sealed));
        }
        LINLI_TRY(audit_.Append(
            session, Draft(actor, community_id, "property.pass.create", "visitor_pass", pass.id,
                           fmt::format(R"({{"mode":"{}","max_uses":{}}})", Name(pass.mode),
                                       pass.max_uses))));
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindPass(session, pass.id));
        return std::move(*found);
      }));
  return ViewOf(actor, row);
}

Result<PassView> PropertyService::GetPass(const Actor& actor, std::int64_t pass_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(auto row, store_.ReadValue([&](storage::Session& session) {
    return repo::FindPass(session, pass_id);
  }));
  if (!row) return NotFoundError();
  const bool host = !actor.api_key_id && row->pass.created_by == EffectiveUser(actor);
  if (!host && !IsPropertyStaff(actor, row->pass.community_id)) return NotFoundError();
  return ViewOf(actor, *row);
}

Result<Page<PassView>> PropertyService::MyPasses(const Actor& actor, std::int64_t community_id,
                                                 const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  LINLI_ASSIGN_OR_RETURN(auto rows, store_.ReadValue([&](storage::Session& session) {
    return repo::PassesCreatedBy(session, EffectiveUser(actor), community_id, page);
  }));
  Page<PassView> out;
  out.next = rows.next;
  for (const auto& row : rows.items) {
    LINLI_ASSIGN_OR_RETURN(auto view, ViewOf(actor, row));
    view.token.reset();  // lists stay light; the pass page issues its token
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<PassView> PropertyService::RevokePass(const Actor& actor, std::int64_t pass_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(
      auto row, store_.WriteValue([&](storage::Session& session) -> Result<repo::PassRow> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindPass(session, pass_id));
        if (!found) return NotFoundError();
        const VisitorPass& pass = found->pass;
        const bool host = !actor.api_key_id && pass.created_by == EffectiveUser(actor);
        if (!host && !IsPropertyStaff(actor, pass.community_id)) return NotFoundError();
        LINLI_ASSIGN_OR_RETURN(auto changed, repo::RevokePass(session, pass.community_id, pass.id,
                                                              clock_.NowEpochS()));
        if (changed == 0) return std::move(*found);  // already revoked: nothing to record
        LINLI_TRY(audit_.Append(session, Draft(actor, pass.community_id, "property.pass.revoke",
                                               "visitor_pass", pass.id, "{}")));
        LINLI_ASSIGN_OR_RETURN(auto revoked, repo::FindPass(session, pass.id));
        return std::move(*revoked);
      }));
  return ViewOf(actor, row);
}

Result<std::vector<PassUse>> PropertyService::PassUses(const Actor& actor, std::int64_t pass_id) {
  LINLI_ASSIGN_OR_RETURN(auto view, GetPass(actor, pass_id));
  return store_.ReadValue([&](storage::Session& session) {
    return repo::UsesOf(session, view.pass.community_id, pass_id, kPassUsesListed);
  });
}

Result<Page<ExpectedVisitor>> PropertyService::ExpectedVisitors(const Actor& actor,
                                                                std::int64_t community_id,
                                                                const std::string& date,
                                                                const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotFoundError();
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<ExpectedVisitor>> {
    LINLI_ASSIGN_OR_RETURN(auto zone_name, repo::CommunityTimezone(session, community_id));
    auto zone = TimeZone::Find(zone_name.value_or("Asia/Shanghai"));
    const TimeZone tz = zone ? *zone : TimeZone::Default();
    std::int64_t day = tz.ToLocal(clock_.NowEpochS()).date.day;
    if (!date.empty()) {
      LINLI_ASSIGN_OR_RETURN(day, ParseIsoDate(date));
    }
    LINLI_ASSIGN_OR_RETURN(auto rows,
                           repo::PassesOverlapping(session, community_id, tz.DayStartUtc(day),
                                                   tz.DayStartUtc(day + 1), page));
    Page<ExpectedVisitor> out;
    out.next = rows.next;
    for (auto& row : rows.items) {
      row.pass.code.clear();
      out.items.push_back(ExpectedVisitor{std::move(row.pass), row.building_name});
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// The gate

Result<GateDecision> PropertyService::Decide(storage::Session& session, const Actor& actor,
                                             std::int64_t community_id,
                                             const std::optional<repo::PassRow>& row,
                                             const std::string& gate) const {
  const std::int64_t now = clock_.NowEpochS();
  GateDecision decision;
  if (!row) {
    // Unknown or forged: audited against the community, with no pass to point at.
    LINLI_TRY(
        audit_.Append(session, Draft(actor, community_id, "property.gate.verify", "visitor_pass", 0,
                                     GateDetails(false, GateReason::kPassInvalid))));
    return decision;
  }
  VisitorPass pass = row->pass;
  GateReason reason = property::Decide(pass, now);
  if (reason == GateReason::kOk) {
    // The guarded UPDATE is the decision of record: of two racing verifications of a
    // single-use pass, only one changes the row.
    LINLI_ASSIGN_OR_RETURN(auto consumed, repo::ConsumeUse(session, community_id, pass.id, now));
    if (consumed == 1) {
      pass.uses += 1;
    } else {
      reason = GateReason::kPassUsedUp;
    }
  }
  const bool allowed = reason == GateReason::kOk;
  repo::UseRecord record{community_id, PassUse{0, pass.id, now, allowed, reason, gate},
                         actor.api_key_id,
                         actor.api_key_id ? std::nullopt : std::optional(actor.user_id)};
  LINLI_TRY(repo::InsertUse(session, record));
  LINLI_TRY(audit_.Append(session, Draft(actor, community_id, "property.gate.verify",
                                         "visitor_pass", pass.id, GateDetails(allowed, reason))));
  decision.allowed = allowed;
  decision.reason = reason;
  decision.pass_id = pass.id;
  decision.visitor_label = pass.visitor_label;
  decision.building_name = row->building_name;
  decision.uses = pass.uses;
  decision.max_uses = pass.max_uses;
  decision.valid_until = pass.valid_until;
  return decision;
}

Result<GateDecision> PropertyService::VerifyAtGate(const Actor& actor, const GateInput& input) {
  LINLI_TRY(RequireScope(actor, kGateScope));
  if (input.token.has_value() == input.code.has_value()) {
    return InvalidFieldError(input.token ? "code" : "token", "required",
                             "send either the QR token or the keypad code");
  }
  LINLI_TRY(CheckText("gate", input.gate, limits::kGateLabelBytesMax, false));
  // The gate's community: the key's, or the desk's (staff in their current community).
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community_id, CommunityFor(actor, 0));
  if (!actor.api_key_id && !IsPropertyStaff(actor, community_id)) {
    return ForbiddenError("forbidden", "only gates and property staff verify passes");
  }
  std::optional<PassClaims> claims;
  std::optional<std::string> code;
  if (input.token) {
    claims = ReadToken(keys_, *input.token);
    if (claims && claims->community_id != community_id) claims.reset();
  } else {
    code = NormalisePassCode(*input.code);
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<GateDecision> {
    std::optional<repo::PassRow> row;
    if (claims) {
      LINLI_ASSIGN_OR_RETURN(row, repo::FindPass(session, claims->pass_id));
      // A token names its pass's window and community; anything else is not this pass.
      if (row && ClaimsOf(row->pass) != *claims) row.reset();
    } else if (code) {
      LINLI_ASSIGN_OR_RETURN(row, repo::FindPassByCode(session, community_id, *code));
    }
    return Decide(session, actor, community_id, row, input.gate);
  });
}

}  // namespace linli::property
