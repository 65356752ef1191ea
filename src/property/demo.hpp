#pragma once
// Demo content for `linli seed-demo` in 阳光社区 (idempotent: what exists is left alone):
// bills for the demo resident's household (last month's property fee overdue and in arrears,
// this month's due, a parking bill paid at the counter), a pinned notice, a notice for 1号楼,
// a weather alert delivered to every member's inbox, and a visitor pass of the resident's.
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "storage/store.hpp"

namespace linli::property {

Status SeedDemo(storage::Store& store, const audit::AuditService& audit, const Clock& clock,
                Random& random, const crypto::KeyRing& keys);

}  // namespace linli::property
