#pragma once
// The data key ring that seals sensitive fields (core/sealed.hpp), from configuration.
#include <string>

#include "app/config.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"

namespace linli::app {

// The key file used when `data_keys` is not configured: beside the SQLite database, or in
// ./var for PostgreSQL (where every node must share one ring: configure data_keys there).
std::string DataKeyFilePath(const Config& config);

// `data_keys` when set; else the key file, created with one random key (mode 0600) on first use.
Result<crypto::KeyRing> LoadDataKeys(const Config& config, Random& random);

}  // namespace linli::app
