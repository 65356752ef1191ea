#pragma once
// Cursor pagination shared by services: a page is "up to limit items after this key".
#include <cstdint>
#include <optional>
#include <utility>
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

// Repositories fetch `limit + 1` items: the extra one only says that another page exists.
template <class T, class KeyOf>
Page<T> TrimToPage(std::vector<T> items, int limit, KeyOf key_of) {
  Page<T> page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<std::size_t>(limit));
    page.next = key_of(items.back());
  }
  page.items = std::move(items);
  return page;
}

}  // namespace linli
