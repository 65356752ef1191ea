#pragma once
// A migrated SQLite store in a fresh temporary folder, removed with the fixture.
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_store.hpp"

namespace linli::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("linli-test-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<storage::Store> OpenMigratedSqlite(const TempDir& dir) {
  storage::SqliteOptions options;
  options.path = (dir.path() / "linli.db").string();
  auto store = storage::OpenSqliteStore(options);
  EXPECT_TRUE(store.has_value());
  auto applied = storage::Migrate(**store, storage::SqliteMigrations(), 1);
  EXPECT_TRUE(applied.has_value());
  return std::move(*store);
}

}  // namespace linli::testing
