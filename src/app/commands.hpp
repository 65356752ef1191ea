#pragma once
// The linli subcommands. Each returns the process exit code (0 ok, 1 check failed, 2 error).
#include <cstdint>
#include <memory>
#include <string>

#include "app/config.hpp"
#include "storage/store.hpp"

namespace linli::app {

// Opens "sqlite:PATH" or "postgresql://..." (creating the SQLite file's folder).
Result<std::unique_ptr<storage::Store>> OpenStore(const Config& config);
const std::vector<storage::Migration>& MigrationsFor(const storage::Store& store);

int RunServe(const Config& config);
int RunMigrate(const Config& config);
int RunSeedDemo(const Config& config, int scale);
int RunAdminCreate(const Config& config, const std::string& login, const std::string& password,
                   const std::string& display_name, const std::string& community);
int RunVerifyAudit(const Config& config);
// Proves every ledger balances and every balance equals its entries (exit 1 naming the first
// bad ledger/account otherwise).
int RunVerifyLedger(const Config& config);
// Imports a survey CSV as resource cards owned by `owner` (exit 1 with a per-row report when any
// row is bad; nothing is imported then).
int RunImportResources(const Config& config, const std::string& file, const std::string& community,
                       const std::string& owner, const std::string& lifecycle);
// Re-seals every sensitive value under the current data key (after adding a key).
int RunRotateKeys(const Config& config);

// Prints an error for a human and returns exit code 2.
int ReportFatal(const Error& error);

}  // namespace linli::app
