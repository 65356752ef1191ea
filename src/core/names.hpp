#pragma once
// Stable snake_case names of enumerators, as the API, the database and CSV files spell them:
// one table per enum, looked up both ways.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace linli {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
constexpr std::string_view NameIn(const Names<E, N>& names, E value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return names.front().second;  // unreachable for valid enumerators
}

template <class E, std::size_t N>
constexpr std::optional<E> ParseIn(const Names<E, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace linli
