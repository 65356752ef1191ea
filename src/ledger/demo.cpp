#include "ledger/demo.hpp"

#include <string>

namespace linli::ledger {
namespace {

TransferItem Move(std::int64_t debit, std::int64_t credit, std::int64_t amount, std::string code,
                  std::string memo) {
  TransferItem item;
  item.debit_account_id = debit;
  item.credit_account_id = credit;
  item.amount = amount;
  item.code = std::move(code);
  item.memo = std::move(memo);
  return item;
}

// A movement by the system with a fixed key: seeding twice changes nothing.
Status Once(LedgerService& service, std::int64_t community_id, Currency currency,
            const std::string& key, TransferItem item) {
  TransferRequest request;
  request.community_id = community_id;
  request.currency = currency;
  request.idempotency_key = "demo:" + key;
  request.items.push_back(std::move(item));
  LINLI_TRY(service.Submit(Actor::System(), request));
  return Ok();
}

Status Earn(LedgerService& service, const DemoLedger& demo, std::int64_t user_id,
            const std::string& rule, std::int64_t quantity, const std::string& key) {
  EarningRequest earning{demo.community_id, user_id, rule, quantity, "", "demo:" + key};
  LINLI_TRY(service.RecordEarning(Actor::System(), earning));
  return Ok();
}

}  // namespace

Status SeedDemo(LedgerService& service, storage::Store& store, const DemoLedger& demo) {
  const std::int64_t c = demo.community_id;
  struct Ids {
    Account issuance, rewards, escrow, subsidies, minutes_issuance, minutes_rewards;
    Account resident, volunteer, resident_minutes, volunteer_minutes;
  } ids;
  LINLI_TRY(store.Write([&](storage::Session& session) -> Status {
    for (Currency currency : {Currency::kPoints, Currency::kMinutes}) {
      for (Pool pool : {Pool::kIssuance, Pool::kRewards, Pool::kEscrow, Pool::kFees,
                        Pool::kSubsidies, Pool::kDonations}) {
        LINLI_TRY(service.EnsurePool(session, c, currency, pool));
      }
    }
    LINLI_ASSIGN_OR_RETURN(ids.issuance,
                           service.EnsurePool(session, c, Currency::kPoints, Pool::kIssuance));
    LINLI_ASSIGN_OR_RETURN(ids.rewards,
                           service.EnsurePool(session, c, Currency::kPoints, Pool::kRewards));
    LINLI_ASSIGN_OR_RETURN(ids.escrow,
                           service.EnsurePool(session, c, Currency::kPoints, Pool::kEscrow));
    LINLI_ASSIGN_OR_RETURN(ids.subsidies,
                           service.EnsurePool(session, c, Currency::kPoints, Pool::kSubsidies));
    LINLI_ASSIGN_OR_RETURN(ids.minutes_issuance,
                           service.EnsurePool(session, c, Currency::kMinutes, Pool::kIssuance));
    LINLI_ASSIGN_OR_RETURN(ids.minutes_rewards,
                           service.EnsurePool(session, c, Currency::kMinutes, Pool::kRewards));
    LINLI_ASSIGN_OR_RETURN(
        ids.resident, service.EnsureUserAccount(session, c, demo.resident_id, Currency::kPoints));
    LINLI_ASSIGN_OR_RETURN(
        ids.volunteer, service.EnsureUserAccount(session, c, demo.volunteer_id, Currency::kPoints));
    LINLI_ASSIGN_OR_RETURN(
        ids.resident_minutes,
        service.EnsureUserAccount(session, c, demo.resident_id, Currency::kMinutes));
    LINLI_ASSIGN_OR_RETURN(
        ids.volunteer_minutes,
        service.EnsureUserAccount(session, c, demo.volunteer_id, Currency::kMinutes));
    return Ok();
  }));
  LINLI_ASSIGN_OR_RETURN(
      auto merchant,
      service.OpenAccount(Actor::System(),
                          {c, Currency::kPoints, OwnerKind::kMerchant, demo.merchant_id, {}, {}}));
  // Pools funded by the committee: rewards and subsidies from issuance, time-bank rewards.
  LINLI_TRY(Once(service, c, Currency::kPoints, "fund-rewards",
                 Move(ids.issuance.id, ids.rewards.id, 5000, "issuance", "年度积分预算")));
  LINLI_TRY(Once(service, c, Currency::kPoints, "fund-subsidies",
                 Move(ids.issuance.id, ids.subsidies.id, 1000, "issuance", "困难家庭补贴预算")));
  LINLI_TRY(Once(
      service, c, Currency::kMinutes, "fund-time",
      Move(ids.minutes_issuance.id, ids.minutes_rewards.id, 6000, "issuance", "时间银行启动")));
  LINLI_TRY(service.Donate(Actor::System(), c, 50000, "阳光超市捐赠", "demo:donation"));
  // Some history for the residents.
  LINLI_TRY(Earn(service, demo, demo.resident_id, "deliberation", 1, "earn-1"));
  LINLI_TRY(Earn(service, demo, demo.resident_id, "cleaning", 1, "earn-2"));
  LINLI_TRY(Earn(service, demo, demo.resident_id, "volunteering_time", 90, "earn-3"));
  LINLI_TRY(Earn(service, demo, demo.volunteer_id, "volunteering", 180, "earn-4"));
  LINLI_TRY(Earn(service, demo, demo.volunteer_id, "volunteering_time", 180, "earn-5"));
  LINLI_TRY(Earn(service, demo, demo.volunteer_id, "skill_sharing", 1, "earn-6"));
  LINLI_TRY(Once(service, c, Currency::kPoints, "pay-merchant",
                 Move(ids.resident.id, merchant.first.id, 15, "payment", "家政服务")));
  LINLI_TRY(Once(
      service, c, Currency::kMinutes, "time-help",
      Move(ids.resident_minutes.id, ids.volunteer_minutes.id, 60, "payment", "陪同就医 1 小时")));
  HoldRequest deposit{c, Currency::kPoints, ids.resident.id, ids.escrow.id, 10,
                      0, "deposit",         "借用电钻押金",  "demo:deposit"};
  LINLI_TRY(service.PlaceHold(Actor::System(), deposit));
  return Ok();
}

}  // namespace linli::ledger
