#include "audit/routes.hpp"

#include "http/json.hpp"

namespace linli::audit {
namespace {

boost::json::object EntryJson(const Entry& entry) {
  boost::json::object out;
  out["seq"] = entry.seq;
  out["at"] = entry.at;
  out["actor_id"] = entry.draft.actor_id;
  out["acting_for_id"] = entry.draft.acting_for_id ? boost::json::value(*entry.draft.acting_for_id)
                                                   : boost::json::value(nullptr);
  out["role"] = entry.draft.role;
  out["action"] = entry.draft.action;
  out["object_type"] = entry.draft.object_type;
  out["object_id"] = entry.draft.object_id;
  out["hash"] = entry.hash;
  return out;
}

boost::json::object VerificationJson(const Verification& verification) {
  boost::json::object out;
  out["ok"] = verification.ok;
  out["checked"] = verification.checked;
  out["first_bad_seq"] = verification.first_bad_seq
                             ? boost::json::value(*verification.first_bad_seq)
                             : boost::json::value(nullptr);
  out["problem"] = verification.problem.empty() ? boost::json::value(nullptr)
                                                : boost::json::value(verification.problem);
  return out;
}

}  // namespace

void RegisterRoutes(http::Router& router, const AuditService& service) {
  router.Add(
      http::Verb::kGet, "/api/v1/communities/{id}/audit", [&service](http::Request& request) {
        auto community = http::PathId(request, "id");
        if (!community) return http::Problem(request, community.error());
        auto page = http::ParsePage(request);
        if (!page) return http::Problem(request, page.error());
        auto entries = service.List(http::ActorOf(request), *community, *page);
        if (!entries) return http::Problem(request, entries.error());
        boost::json::array items;
        for (const auto& entry : entries->items) items.push_back(EntryJson(entry));
        return http::Json(
            200, {{"items", std::move(items)}, {"next_cursor", http::CursorJson(entries->next)}});
      });
  router.Add(http::Verb::kPost, "/api/v1/communities/{id}/audit/verify",
             [&service](http::Request& request) {
               auto community = http::PathId(request, "id");
               if (!community) return http::Problem(request, community.error());
               auto verification = service.Verify(http::ActorOf(request), *community);
               if (!verification) return http::Problem(request, verification.error());
               return http::Json(200, VerificationJson(*verification));
             });
}

}  // namespace linli::audit
