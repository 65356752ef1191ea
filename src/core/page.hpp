#pragma once
// Cursor pagination shared by services: a page is "up to limit items after this key".
#include <cstdint>
#include <optional>
#include <vector>

namespace linli {

struct PageRequest {
  int limit = 20;
  std::optional<std::int64_t> after;  // decoded cursor: the last key of the previous page
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::int64_t> next;  // key to continue from; nullopt on the last page
};

}  // namespace linli
