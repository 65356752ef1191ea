// Property test: for any sequence of transfers, linked transfers, holds, posts, voids, expiries,
// retries and key reuses, the service (on SQLite) agrees with a tiny reference model on every
// outcome and balance, every ledger sums to zero, no account breaks its limits, and each
// idempotency key has exactly one effect.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "ledger/service.hpp"
#include "support/temp_store.hpp"

namespace linli::ledger {
namespace {

TransferItem MakeItem(TransferKind kind, std::int64_t debit, std::int64_t credit,
                      std::int64_t amount) {
  TransferItem item;
  item.kind = kind;
  item.debit_account_id = debit;
  item.credit_account_id = credit;
  item.amount = amount;
  return item;
}

constexpr int kAccounts = 4;  // households 0..3; 4 = the issuance pool

// --- the reference model -------------------------------------------------------------------

struct ModelAccount {
  std::int64_t balance = 0;
  std::int64_t held_out = 0;  // pending debits
  std::int64_t held_in = 0;   // pending credits
  bool no_overdraft = true;
  std::int64_t credit_limit = 0;
  std::optional<std::int64_t> upper_limit;
  bool Ok() const {
    if (no_overdraft && balance - held_out + credit_limit < 0) return false;
    if (upper_limit && balance + held_in > *upper_limit) return false;
    return true;
  }
};

struct ModelHold {
  int debit = 0, credit = 0;
  std::int64_t amount = 0;
  std::optional<std::int64_t> timeout_at;
  bool pending = true;
};

struct Model {
  std::vector<ModelAccount> accounts;
  std::vector<ModelHold> holds;  // in the order placed (index = hold number)
};

// --- operations ----------------------------------------------------------------------------

struct Move {
  int debit, credit;
  std::int64_t amount;
};
struct Transfer_ {
  std::vector<Move> moves;  // 1 = a transfer, 2 = linked
};
struct Hold_ {
  Move move;
  std::int64_t timeout_s;
};
struct Post_ {
  int hold;  // index into placed holds (mod count)
  std::int64_t amount;
};
struct Void_ {
  int hold;
};
struct Advance_ {
  std::int64_t seconds;
};
struct Retry_ {
  int request;  // index into earlier requests (mod count)
};
struct Reuse_ {
  int request;
};
using Op = std::variant<Transfer_, Hold_, Post_, Void_, Advance_, Retry_, Reuse_>;

rc::Gen<Move> GenMove() {
  return rc::gen::apply(
      [](int debit, int offset, std::int64_t amount) {
        return Move{debit, (debit + offset) % (kAccounts + 1), amount};
      },
      rc::gen::inRange(0, kAccounts + 1), rc::gen::inRange(1, kAccounts + 1),
      rc::gen::inRange<std::int64_t>(1, 120));
}

rc::Gen<Op> GenOp() {
  return rc::gen::oneOf(
      rc::gen::map(rc::gen::container<std::vector<Move>>(1, GenMove()),
                   [](std::vector<Move> m) { return Op{Transfer_{std::move(m)}}; }),
      rc::gen::map(rc::gen::container<std::vector<Move>>(2, GenMove()),
                   [](std::vector<Move> m) { return Op{Transfer_{std::move(m)}}; }),
      rc::gen::apply(
          [](Move m, std::int64_t t) {
            return Op{Hold_{m, t}};
          },
          GenMove(), rc::gen::element<std::int64_t>(0, 60, 600)),
      rc::gen::apply(
          [](int h, std::int64_t a) {
            return Op{Post_{h, a}};
          },
          rc::gen::inRange(0, 50), rc::gen::inRange<std::int64_t>(0, 130)),
      rc::gen::map(rc::gen::inRange(0, 50), [](int h) { return Op{Void_{h}}; }),
      rc::gen::map(rc::gen::element<std::int64_t>(30, 300),
                   [](std::int64_t s) { return Op{Advance_{s}}; }),
      rc::gen::map(rc::gen::inRange(0, 50), [](int r) { return Op{Retry_{r}}; }),
      rc::gen::map(rc::gen::inRange(0, 50), [](int r) { return Op{Reuse_{r}}; }));
}

// --- the system under test -----------------------------------------------------------------

struct World {
  World() {
    crypto::InitCrypto();
    store = linli::testing::OpenMigratedSqlite(dir);
    audit = std::make_unique<audit::AuditService>(*store, clock);
    accounts = std::make_unique<accounts::AccountsService>(*store, *audit, clock, random);
    service = std::make_unique<LedgerService>(*store, *audit, clock);
  }
  linli::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  ManualClock clock{1'790'000'000};
  SeededRandom random{3};
  std::unique_ptr<audit::AuditService> audit;
  std::unique_ptr<accounts::AccountsService> accounts;
  std::unique_ptr<LedgerService> service;
  int communities = 0;
};

World& TheWorld() {
  static World world;  // one database for every case; each case gets its own community
  return world;
}

struct Sent {
  TransferRequest request;
  bool ok = false;
  std::string reason;
  std::vector<std::int64_t> transfer_ids;
};

std::string ReasonOf(const Result<Outcome>& outcome) {
  return outcome ? "" : outcome.error().reason;
}

RC_GTEST_PROP(LedgerProperty, ServiceAgreesWithTheReferenceModel, ()) {
  World& w = TheWorld();
  const Actor system = Actor::System();
  const auto community =
      w.accounts
          ->EnsureCommunity(system, {"上海市", "属性街道", "社区" + std::to_string(++w.communities),
                                     "Asia/Shanghai", std::nullopt})
          .value();
  // Four households (one capped at 150, one with a 20-point credit limit) and issuance.
  std::vector<std::int64_t> ids;
  Model model;
  for (int i = 0; i < kAccounts; ++i) {
    AccountOpen open{community, Currency::kPoints, OwnerKind::kHousehold, i + 1, {}, {}};
    ModelAccount m;
    if (i == 1) {
      open.upper_limit = 150;
      m.upper_limit = 150;
    }
    if (i == 2) {
      open.credit_limit = 20;
      m.credit_limit = 20;
    }
    ids.push_back(w.service->OpenAccount(system, open).value().first.id);
    model.accounts.push_back(m);
  }
  ids.push_back(w.store
                    ->WriteValue([&](storage::Session& s) {
                      return w.service->EnsurePool(s, community, Currency::kPoints,
                                                   Pool::kIssuance);
                    })
                    .value()
                    .id);
  model.accounts.push_back(ModelAccount{0, 0, 0, false, 0, std::nullopt});

  const auto ops = *rc::gen::container<std::vector<Op>>(GenOp());
  std::vector<Sent> sent;
  std::vector<std::int64_t> hold_ids;  // service ids of model.holds
  int next_key = 0;

  auto send = [&](TransferRequest request, const std::function<std::string(Model&)>& predict) {
    Model trial = model;
    const std::string expected = predict(trial);
    auto outcome = w.service->Submit(system, request);
    RC_ASSERT(ReasonOf(outcome) == expected);
    Sent s{request, bool(outcome), ReasonOf(outcome), {}};
    if (outcome) {
      model = trial;
      for (const auto& t : outcome->transfers) s.transfer_ids.push_back(t.id);
    }
    sent.push_back(s);
    return outcome;
  };
  auto key = [&] { return "p" + std::to_string(++next_key); };
  auto apply_move = [&](Model& m, const Move& move) -> std::string {
    auto& d = m.accounts[move.debit];
    auto& c = m.accounts[move.credit];
    d.balance -= move.amount;
    c.balance += move.amount;
    if (!d.Ok()) return "insufficient_funds";
    if (!c.Ok()) return "exceeds_upper_limit";
    return "";
  };

  for (const auto& op : ops) {
    const std::int64_t now = w.clock.NowEpochS();
    if (const auto* t = std::get_if<Transfer_>(&op)) {
      TransferRequest request{community, Currency::kPoints, key(), {}};
      for (const auto& move : t->moves) {
        request.items.push_back(
            MakeItem(TransferKind::kPosted, ids[move.debit], ids[move.credit], move.amount));
      }
      send(request, [&](Model& m) {
        for (const auto& move : t->moves) {
          if (auto r = apply_move(m, move); !r.empty()) return r;
        }
        return std::string();
      });
    } else if (const auto* h = std::get_if<Hold_>(&op)) {
      TransferRequest request{community, Currency::kPoints, key(), {}};
      TransferItem item =
          MakeItem(TransferKind::kPending, ids[h->move.debit], ids[h->move.credit], h->move.amount);
      item.timeout_s = h->timeout_s;
      request.items.push_back(item);
      auto outcome = send(request, [&](Model& m) -> std::string {
        auto& d = m.accounts[h->move.debit];
        auto& c = m.accounts[h->move.credit];
        d.held_out += h->move.amount;
        c.held_in += h->move.amount;
        if (!d.Ok()) return "insufficient_funds";
        if (!c.Ok()) return "exceeds_upper_limit";
        m.holds.push_back({h->move.debit, h->move.credit, h->move.amount,
                           h->timeout_s > 0 ? std::optional(now + h->timeout_s) : std::nullopt,
                           true});
        return "";
      });
      if (outcome) hold_ids.push_back(outcome->transfers[0].id);
    } else if (const auto* p = std::get_if<Post_>(&op); p && !hold_ids.empty()) {
      const int index = p->hold % static_cast<int>(hold_ids.size());
      TransferRequest request{community, Currency::kPoints, key(), {}};
      TransferItem item = MakeItem(TransferKind::kPostPending, 0, 0, p->amount);
      item.pending_id = hold_ids[index];
      request.items.push_back(item);
      send(request, [&](Model& m) -> std::string {
        auto& hold = m.holds[index];
        if (!hold.pending) return "hold_not_pending";
        if (hold.timeout_at && *hold.timeout_at <= now) return "hold_expired";
        const std::int64_t posted = p->amount == 0 ? hold.amount : p->amount;
        if (posted > hold.amount) return "exceeds_hold_amount";
        hold.pending = false;
        m.accounts[hold.debit].held_out -= hold.amount;
        m.accounts[hold.credit].held_in -= hold.amount;
        m.accounts[hold.debit].balance -= posted;
        m.accounts[hold.credit].balance += posted;
        return "";
      });
    } else if (const auto* v = std::get_if<Void_>(&op); v && !hold_ids.empty()) {
      const int index = v->hold % static_cast<int>(hold_ids.size());
      TransferRequest request{community, Currency::kPoints, key(), {}};
      TransferItem item = MakeItem(TransferKind::kVoidPending, 0, 0, 0);
      item.pending_id = hold_ids[index];
      request.items.push_back(item);
      send(request, [&](Model& m) -> std::string {
        auto& hold = m.holds[index];
        if (!hold.pending) return "hold_not_pending";
        hold.pending = false;
        m.accounts[hold.debit].held_out -= hold.amount;
        m.accounts[hold.credit].held_in -= hold.amount;
        return "";
      });
    } else if (const auto* a = std::get_if<Advance_>(&op)) {
      w.clock.Advance(Seconds(a->seconds));
      RC_ASSERT(w.service->ExpireHolds().has_value());
      for (auto& hold : model.holds) {
        if (hold.pending && hold.timeout_at && *hold.timeout_at <= w.clock.NowEpochS()) {
          hold.pending = false;
          model.accounts[hold.debit].held_out -= hold.amount;
          model.accounts[hold.credit].held_in -= hold.amount;
        }
      }
    } else if (const auto* r = std::get_if<Retry_>(&op); r && !sent.empty()) {
      // The same request again: the first outcome, no new effect.
      const Sent& first = sent[r->request % sent.size()];
      auto again = w.service->Submit(system, first.request);
      RC_ASSERT(ReasonOf(again) == first.reason);
      if (again) {
        RC_ASSERT(again->replayed);
        std::vector<std::int64_t> ids_again;
        for (const auto& tr : again->transfers) ids_again.push_back(tr.id);
        RC_ASSERT(ids_again == first.transfer_ids);
      }
    } else if (const auto* u = std::get_if<Reuse_>(&op); u && !sent.empty()) {
      TransferRequest changed = sent[u->request % sent.size()].request;
      changed.items.front().memo = "changed";
      RC_ASSERT(ReasonOf(w.service->Submit(system, changed)) == "idempotency_key_reused");
    }
    // After every step: each balance as the model says, every limit kept.
    for (int i = 0; i <= kAccounts; ++i) {
      const auto account = w.service->GetAccount(system, ids[i]).value();
      RC_ASSERT(account.balance() == model.accounts[i].balance);
      RC_ASSERT(account.debits_pending == model.accounts[i].held_out);
      RC_ASSERT(account.credits_pending == model.accounts[i].held_in);
      RC_ASSERT(LimitViolation(account).empty());
    }
  }
  std::int64_t sum = 0;
  for (const auto& m : model.accounts) sum += m.balance;
  RC_ASSERT(sum == 0);
  const auto verification = w.service->VerifyAll();
  RC_ASSERT(verification.has_value());
  RC_ASSERT(verification->ok);
  // Exactly one request row per key used: retries and reuses added no effect.
  std::int64_t requests = 0;
  RC_ASSERT(bool(w.store->Read([&](storage::Session& s) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT COUNT(*) FROM ledger_requests WHERE "
                                                "community_id = $1 AND idem_key LIKE 'p%'",
                                                {community}));
    requests = row->Int(0);
    return Ok();
  })));
  RC_ASSERT(requests == next_key);
}

}  // namespace
}  // namespace linli::ledger
