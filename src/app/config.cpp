#include "app/config.hpp"

#include <charconv>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace linli::app {
namespace {

Error ConfigError(std::string detail) {
  return Error{Errc::kInvalidArgument, "invalid_config", std::move(detail)};
}

template <class Int>
Status ParseInt(std::string_view name, std::string_view text, Int& out) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return ConfigError(std::string(name) + " must be an integer");
  }
  out = value;
  return Ok();
}

Status ParseBool(std::string_view name, std::string_view text, bool& out) {
  if (text == "1" || text == "true") {
    out = true;
  } else if (text == "0" || text == "false") {
    out = false;
  } else {
    return ConfigError(std::string(name) + " must be true or false");
  }
  return Ok();
}

}  // namespace

Status ApplyTomlFile(const std::string& path, Config& config) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return ConfigError(fmt::format("{}: {}", path, error.description()));
  }
  static const std::set<std::string> kKnown{"db",
                                            "address",
                                            "port",
                                            "io_threads",
                                            "worker_threads",
                                            "db_pool",
                                            "web_root",
                                            "log_level",
                                            "sqlite_synchronous",
                                            "trust_proxy",
                                            "session_idle_s",
                                            "session_absolute_s",
                                            "data_keys",
                                            "resources_reconfirm_days",
                                            "resources_reminder_days",
                                            "resources_idle_days"};
  for (const auto& [key, value] : table) {
    if (!kKnown.contains(std::string(key.str()))) {
      return ConfigError(fmt::format("{}: unknown key '{}'", path, key.str()));
    }
  }
  config.db = table["db"].value_or(config.db);
  config.address = table["address"].value_or(config.address);
  config.port = static_cast<std::uint16_t>(table["port"].value_or<std::int64_t>(config.port));
  config.io_threads = table["io_threads"].value_or(config.io_threads);
  config.worker_threads = table["worker_threads"].value_or(config.worker_threads);
  config.db_pool = table["db_pool"].value_or(config.db_pool);
  config.web_root = table["web_root"].value_or(config.web_root);
  config.log_level = table["log_level"].value_or(config.log_level);
  config.trust_proxy = table["trust_proxy"].value_or(config.trust_proxy);
  config.session_idle_s = table["session_idle_s"].value_or(config.session_idle_s);
  config.session_absolute_s = table["session_absolute_s"].value_or(config.session_absolute_s);
  config.resources_reconfirm_days =
      table["resources_reconfirm_days"].value_or(config.resources_reconfirm_days);
  config.resources_reminder_days =
      table["resources_reminder_days"].value_or(config.resources_reminder_days);
  config.resources_idle_days = table["resources_idle_days"].value_or(config.resources_idle_days);
  if (config.resources_reconfirm_days < 1 || config.resources_idle_days < 1 ||
      config.resources_reminder_days < 0 ||
      config.resources_reminder_days >= config.resources_reconfirm_days) {
    return ConfigError("resources_*_days: need reconfirm ≥ 1, idle ≥ 1, 0 ≤ reminder < reconfirm");
  }
  config.data_keys = table["data_keys"].value_or(config.data_keys);
  if (auto sync = table["sqlite_synchronous"].value<std::string>()) {
    if (*sync != "FULL" && *sync != "NORMAL") return ConfigError("sqlite_synchronous: FULL|NORMAL");
    config.sqlite_synchronous_full = *sync == "FULL";
  }
  return Ok();
}

Status ApplyEnvironment(Config& config) {
  const auto env = [](const char* name) -> std::optional<std::string_view> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string_view(value);
  };
  if (auto value = env("LINLI_DB")) config.db = *value;
  if (auto value = env("LINLI_ADDRESS")) config.address = *value;
  if (auto value = env("LINLI_PORT")) LINLI_TRY(ParseInt("LINLI_PORT", *value, config.port));
  if (auto value = env("LINLI_THREADS")) {
    LINLI_TRY(ParseInt("LINLI_THREADS", *value, config.io_threads));
  }
  if (auto value = env("LINLI_WORKERS")) {
    LINLI_TRY(ParseInt("LINLI_WORKERS", *value, config.worker_threads));
  }
  if (auto value = env("LINLI_DB_POOL"))
    LINLI_TRY(ParseInt("LINLI_DB_POOL", *value, config.db_pool));
  if (auto value = env("LINLI_WEB_ROOT")) config.web_root = *value;
  if (auto value = env("LINLI_LOG_LEVEL")) config.log_level = *value;
  if (auto value = env("LINLI_DATA_KEYS")) config.data_keys = *value;
  if (auto value = env("LINLI_TRUST_PROXY")) {
    LINLI_TRY(ParseBool("LINLI_TRUST_PROXY", *value, config.trust_proxy));
  }
  if (auto value = env("LINLI_SQLITE_SYNCHRONOUS")) {
    if (*value != "FULL" && *value != "NORMAL") {
      return ConfigError("LINLI_SQLITE_SYNCHRONOUS must be FULL or NORMAL");
    }
    config.sqlite_synchronous_full = *value == "FULL";
  }
  return Ok();
}

}  // namespace linli::app
