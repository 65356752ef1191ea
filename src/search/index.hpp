#pragma once
// The in-memory search index of the resource market: CJK bigrams (plus single characters, so
// 1- and 2-character queries match), simplified/traditional folding, ASCII words, tag and
// attribute filters, a geo grid for radius queries. Thread-safe: many concurrent searches,
// writers exclusive.
#include <cstddef>
#include <memory>

#include "search/model.hpp"

namespace linli::search {

class Index {
 public:
  Index();
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  void Upsert(const Document& document);  // replaces the document with the same id
  void Remove(std::int64_t id);
  void Clear();

  Results Search(const Query& query) const;

  std::size_t size() const;
  std::size_t MemoryBytes() const;  // approximate heap bytes held by the index

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace linli::search
