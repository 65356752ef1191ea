#include "trust/schedule.hpp"

#include <spdlog/spdlog.h>

namespace linli::trust {

void RegisterJobs(jobs::Scheduler& scheduler, TrustService& service) {
  scheduler.Every("trust.publish_ratings", kPublishRatingsEvery,
                  [&service](std::int64_t now_s) -> Status {
                    LINLI_ASSIGN_OR_RETURN(int published, service.PublishDue(now_s));
                    if (published > 0) {
                      spdlog::info(R"({{"msg":"ratings published","exchanges":{}}})", published);
                    }
                    return Ok();
                  });
}

}  // namespace linli::trust
