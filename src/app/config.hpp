#pragma once
// Configuration: defaults < TOML file (--config) < LINLI_* environment < command-line flags.
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace linli::app {

struct Config {
  std::string db = "sqlite:./var/linli.db";  // or postgresql://user@host/db
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;
  int io_threads = 0;      // 0: one per core
  int worker_threads = 0;  // 0: 8 per I/O thread (handlers block on the database)
  int db_pool = 8;         // PostgreSQL connections / SQLite readers per process
  std::string web_root = "web/dist";
  bool sqlite_synchronous_full = true;
  bool trust_proxy = false;
  std::string log_level = "info";
  std::int64_t session_idle_s = 3 * 24 * 3600;
  std::int64_t session_absolute_s = 30 * 24 * 3600;
  // Resource cards: defaults for communities without their own settings.
  std::int64_t resources_reconfirm_days = 90;
  std::int64_t resources_reminder_days = 7;
  std::int64_t resources_idle_days = 180;
  // Keys that seal sensitive fields: "id:base64key,id:base64key" (highest id seals). Empty:
  // a key file beside the SQLite database (or ./var) is used, created on first use.
  std::string data_keys;
};

// Reads a TOML file into `config` (only keys present override). Unknown keys are errors, so
// a typo never silently falls back to a default.
Status ApplyTomlFile(const std::string& path, Config& config);
// Applies LINLI_DB, LINLI_PORT, LINLI_ADDRESS, LINLI_THREADS, LINLI_WORKERS, LINLI_DB_POOL,
// LINLI_WEB_ROOT, LINLI_SQLITE_SYNCHRONOUS (FULL|NORMAL), LINLI_TRUST_PROXY, LINLI_LOG_LEVEL,
// LINLI_DATA_KEYS.
Status ApplyEnvironment(Config& config);

}  // namespace linli::app
