#include "trust/demo.hpp"

namespace linli::trust {
namespace {

Actor PersonActor(std::int64_t user_id, std::int64_t community_id) {
  Actor actor;
  actor.user_id = user_id;
  actor.roles_by_community[community_id] = {Role::kResident};
  actor.current_community_id = community_id;
  return actor;
}

// Seeding twice meets what the first run made: those answers are fine.
template <class T>
Status IgnoreRepeat(const Result<T>& result) {
  if (result) return Ok();
  const auto& reason = result.error().reason;
  if (reason == "already_rated" || reason == "already_reported" || reason == "dispute_exists" ||
      reason == "review_closed") {
    return Ok();
  }
  return result.error();
}

struct DemoExchange {
  std::int64_t number;
  std::int64_t provider;
  std::int64_t consumer;
  std::int64_t days_ago;
  Outcome outcome;
  std::optional<std::int64_t> provider_stars;  // the provider's rating of the consumer
  std::optional<std::int64_t> consumer_stars;
  const char* consumer_comment;
};

}  // namespace

Status SeedDemo(storage::Store& store, TrustService& service, const DemoPeople& people) {
  const std::int64_t community = people.community_id;
  const std::int64_t now_s = service.clock().NowEpochS();
  const std::int64_t day = kSecondsPerDay;
  const std::vector<DemoExchange> exchanges{
      {1, people.resident2_id, people.resident_id, 120, Outcome::kReturnedOnTime, 5, 5,
       "李师傅修好了洗衣机，很细心"},
      {2, people.merchant_id, people.resident2_id, 100, Outcome::kCompleted, 5, 5,
       "保洁很干净，准时到"},
      {3, people.resident2_id, people.resident_id, 40, Outcome::kReturnedLate, 3, 4, "电钻好用"},
      {4, people.merchant_id, people.resident2_id, 20, Outcome::kCompleted, 5, 4, "不错"},
      {5, people.resident2_id, people.resident_id, 2, Outcome::kReturnedOnTime, std::nullopt,
       std::nullopt, ""},
      {6, people.merchant_id, people.resident_id, 1, Outcome::kCompleted, 5, std::nullopt, ""},
  };
  std::vector<std::int64_t> exchange_ids;
  for (const auto& demo : exchanges) {
    ExchangeRecord record;
    record.community_id = community;
    record.source = Source::kService;
    record.source_id = kDemoSourceBase + demo.number;
    record.provider_user_id = demo.provider;
    record.consumer_user_id = demo.consumer;
    record.completed_at_s = now_s - demo.days_ago * day;
    record.outcome = demo.outcome;
    LINLI_TRY(store.Write(
        [&](storage::Session& session) { return service.RecordExchange(session, record); }));
    const Actor consumer = PersonActor(demo.consumer, community);
    const Actor provider = PersonActor(demo.provider, community);
    LINLI_ASSIGN_OR_RETURN(auto mine, service.MyExchanges(consumer, {100, std::nullopt}));
    for (const auto& view : mine.items) {
      if (view.exchange.record.source_id != record.source_id) continue;
      exchange_ids.push_back(view.exchange.id);
      if (demo.consumer_stars && view.my_rating) {
        LINLI_TRY(IgnoreRepeat(service.Rate(consumer, view.my_rating->id, *demo.consumer_stars,
                                            demo.consumer_comment)));
      }
      if (demo.provider_stars) {
        LINLI_ASSIGN_OR_RETURN(auto theirs, service.GetExchange(provider, view.exchange.id));
        if (theirs.my_rating) {
          LINLI_TRY(
              IgnoreRepeat(service.Rate(provider, theirs.my_rating->id, *demo.provider_stars, "")));
        }
      }
    }
  }
  // Long-past windows: publish what is due so the demo reads as it would after the job ran.
  LINLI_TRY(service.PublishDue(now_s));

  const Actor resident = PersonActor(people.resident_id, community);
  if (people.reported_listing) {
    LINLI_ASSIGN_OR_RETURN(auto reports, service.MyReports(resident, {100, std::nullopt}));
    if (reports.items.empty()) {
      LINLI_TRY(IgnoreRepeat(service.OpenReport(
          resident, {people.reported_listing->card_id, ReportCategory::kMisleading,
                     "电话里说价格比卡片上贵一倍，描述与实际不符"})));
    }
  }
  if (exchange_ids.size() >= 5) {
    LINLI_TRY(IgnoreRepeat(service.OpenDispute(resident, exchange_ids[4],
                                               "电钻归还时对方说钻头少了一个，我记得是齐的")));
  }
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(auto verified,
                         service.Verifications(system, community, people.resident2_id));
  if (verified.empty()) {
    VerificationInput input;
    input.community_id = community;
    input.user_id = people.resident2_id;
    input.kind = VerificationKind::kCertificate;
    input.issuer = "上海市职业技能鉴定中心";
    input.number = "JD-2024-31-0815";
    input.valid_until = now_s + 3 * 365 * day;
    input.note = "家用电器维修工（四级）";
    LINLI_TRY(service.RecordVerification(system, input));
  }
  return Ok();
}

}  // namespace linli::trust
