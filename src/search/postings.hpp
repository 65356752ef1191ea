#pragma once
// Internal to the search index (index.cpp, tests/search/postings_test.cpp): lists of document
// slots. Not part of the module's interface.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace linli::search::detail {

// A posting entry is a document slot shifted left by two bits with the term's match code in
// them; sorting entries sorts by slot, and `slot << 2` is the smallest entry of a slot.
// Match codes rank a card for a term: in the title beats repeated beats once. 0 means absent
// (only in the dense form below).
constexpr std::uint32_t kCodeBits = 2;
constexpr std::uint32_t kCodeMask = (1U << kCodeBits) - 1;
constexpr std::uint32_t kCodePlain = 1;     // once, not in the title (also every tag entry)
constexpr std::uint32_t kCodeRepeated = 2;  // more than once, not in the title
constexpr std::uint32_t kCodeTitle = 3;     // in the title

constexpr std::uint32_t MakeEntry(std::uint32_t slot, std::uint32_t code) {
  return (slot << kCodeBits) | code;
}
constexpr std::uint32_t SlotOf(std::uint32_t entry) {
  return entry >> kCodeBits;
}

// A posting list turns into bitmaps once its term is in 1/16 of the slots (two bits per slot
// then take no more memory than four bytes per entry), and back below 1/32.
constexpr std::size_t kDenseEntriesMin = 1024;
constexpr std::size_t kDenseEnterRatio = 16;
constexpr std::size_t kDenseLeaveRatio = 32;

// Approximate bytes glibc malloc takes for a request of n bytes (8-byte header, 16-byte
// granularity, 32-byte minimum chunk): MemoryBytes() reports what the process really pays.
inline std::size_t MallocBytes(std::size_t n) {
  if (n == 0) return 0;
  return std::max<std::size_t>(32, (n + 8 + 15) & ~std::size_t{15});
}

inline std::size_t StringHeapBytes(const std::string& s) {
  return s.capacity() > 15 ? MallocBytes(s.capacity() + 1) : 0;  // 15: libstdc++'s SSO buffer
}

constexpr std::uint32_t EntrySlot(std::uint32_t entry) {
  return SlotOf(entry);
}

// A vector of entries sorted by slot. EntrySlot(entry) (found by argument-dependent lookup for
// class types) gives an entry's slot.
template <class Entry>
class SlotList {
 public:
  std::span<const Entry> Entries() const { return entries_; }
  bool Empty() const { return entries_.empty(); }

  // Precondition: no entry for this slot yet.
  void Add(const Entry& entry) {
    Reserve();
    if (entries_.empty() || EntrySlot(entries_.back()) < EntrySlot(entry)) {
      entries_.push_back(entry);  // new slots are the largest: bulk loads only append
      return;
    }
    entries_.insert(LowerBound(EntrySlot(entry)), entry);
  }

  bool Erase(std::uint32_t slot) {
    Entry* at = Find(slot);
    if (at == nullptr) return false;
    entries_.erase(entries_.begin() + (at - entries_.data()));
    // Give memory back after churn, but not for every small list.
    if (entries_.capacity() > 16 && entries_.size() * 2 < entries_.capacity()) {
      entries_.shrink_to_fit();
    }
    return true;
  }

  Entry* Find(std::uint32_t slot) {
    const auto at = LowerBound(slot);
    return at != entries_.end() && EntrySlot(*at) == slot ? &*at : nullptr;
  }

  std::size_t HeapBytes() const { return MallocBytes(entries_.capacity() * sizeof(Entry)); }

 private:
  typename std::vector<Entry>::iterator LowerBound(std::uint32_t slot) {
    return std::lower_bound(entries_.begin(), entries_.end(), slot,
                            [](const Entry& e, std::uint32_t s) { return EntrySlot(e) < s; });
  }

  // Grows by a quarter instead of doubling: postings are most of the index, and every list
  // pays its slack.
  void Reserve() {
    const std::size_t capacity = entries_.capacity();
    if (entries_.size() < capacity) return;
    entries_.reserve(capacity + std::max<std::size_t>(capacity / 4, 1));
  }

  std::vector<Entry> entries_;
};

// The match codes of a frequent term, two bits per slot: membership is one probe instead of a
// search through hundreds of thousands of entries.
struct DenseCodes {
  std::vector<std::uint64_t> low;   // bit s: code bit 0 of slot s
  std::vector<std::uint64_t> high;  // bit s: code bit 1 of slot s
  std::uint32_t size = 0;           // slots with a non-zero code
};

inline std::uint32_t DenseCode(const std::uint64_t* low, const std::uint64_t* high,
                               std::uint32_t words, std::uint32_t slot) {
  const std::uint32_t word = slot / 64;
  if (word >= words) return 0;
  const std::uint32_t bit = slot % 64;
  return static_cast<std::uint32_t>(((low[word] >> bit) & 1) | (((high[word] >> bit) & 1) << 1));
}

// A term's cards: a sorted array of entries, or the dense form once the term is frequent.
class PostingList {
 public:
  std::uint32_t Size() const {
    return dense_ ? dense_->size : static_cast<std::uint32_t>(sparse_.Entries().size());
  }
  bool Empty() const { return Size() == 0; }
  const DenseCodes* Dense() const { return dense_.get(); }
  std::span<const std::uint32_t> Entries() const { return sparse_.Entries(); }  // !dense()

  // `slots`: the size of the slot table, for the choice of form. Precondition: slot absent.
  void Add(std::uint32_t slot, std::uint32_t code, std::size_t slots) {
    if (dense_) {
      SetDense(slot, code);
      ++dense_->size;
      return;
    }
    sparse_.Add(MakeEntry(slot, code));
    if (Size() >= kDenseEntriesMin && Size() * kDenseEnterRatio >= slots) ToDense(slots);
  }

  void Erase(std::uint32_t slot, std::size_t slots) {
    if (!dense_) {
      sparse_.Erase(slot);
      return;
    }
    if (Code(slot) == 0) return;
    SetDense(slot, 0);
    --dense_->size;
    if (dense_->size * kDenseLeaveRatio < slots) ToSparse();
  }

  void SetCode(std::uint32_t slot, std::uint32_t code) {
    if (!dense_) {
      if (std::uint32_t* entry = sparse_.Find(slot)) *entry = MakeEntry(slot, code);
    } else if (Code(slot) != 0) {
      SetDense(slot, code);
    }
  }

  // fn(entry) for every entry in slot order, whatever the form.
  template <class Fn>
  void ForEach(Fn&& fn) const {
    if (!dense_) {
      for (const std::uint32_t entry : sparse_.Entries()) fn(entry);
      return;
    }
    for (std::size_t word = 0; word < dense_->low.size(); ++word) {
      for (std::uint64_t bits = dense_->low[word] | dense_->high[word]; bits != 0;
           bits &= bits - 1) {
        const auto slot = static_cast<std::uint32_t>(word * 64 + std::countr_zero(bits));
        fn(MakeEntry(slot, Code(slot)));
      }
    }
  }

  std::size_t HeapBytes() const {
    std::size_t bytes = sparse_.HeapBytes();
    if (dense_) {
      bytes += MallocBytes(sizeof(DenseCodes)) +
               MallocBytes(dense_->low.capacity() * sizeof(std::uint64_t)) +
               MallocBytes(dense_->high.capacity() * sizeof(std::uint64_t));
    }
    return bytes;
  }

 private:
  std::uint32_t Code(std::uint32_t slot) const {
    return DenseCode(dense_->low.data(), dense_->high.data(),
                     static_cast<std::uint32_t>(dense_->low.size()), slot);
  }

  void SetDense(std::uint32_t slot, std::uint32_t code) {
    const std::size_t word = slot / 64;
    if (word >= dense_->low.size()) {
      const std::size_t words = std::max(word + 1, dense_->low.size() + dense_->low.size() / 4);
      dense_->low.resize(words);
      dense_->high.resize(words);
    }
    const std::uint64_t mask = std::uint64_t{1} << (slot % 64);
    dense_->low[word] = (code & 1) != 0 ? dense_->low[word] | mask : dense_->low[word] & ~mask;
    dense_->high[word] = (code & 2) != 0 ? dense_->high[word] | mask : dense_->high[word] & ~mask;
  }

  void ToDense(std::size_t slots) {
    dense_ = std::make_unique<DenseCodes>();
    dense_->low.assign((slots + 63) / 64, 0);
    dense_->high.assign((slots + 63) / 64, 0);
    for (const std::uint32_t entry : sparse_.Entries()) SetDense(SlotOf(entry), entry & kCodeMask);
    dense_->size = static_cast<std::uint32_t>(sparse_.Entries().size());
    sparse_ = {};
  }

  void ToSparse() {
    SlotList<std::uint32_t> sparse;
    ForEach([&](std::uint32_t entry) { sparse.Add(entry); });  // ascending: appends
    dense_.reset();
    sparse_ = std::move(sparse);
  }

  SlotList<std::uint32_t> sparse_;
  std::unique_ptr<DenseCodes> dense_;
};

// The first index at or after `from` whose entry is >= key (exponential then binary search):
// intersecting a short list with a long one costs O(short * log(long / short)).
inline std::uint32_t Gallop(const std::uint32_t* data, std::uint32_t size, std::uint32_t from,
                            std::uint32_t key) {
  if (from >= size || data[from] >= key) return from;
  std::uint32_t low = from;  // data[low] < key
  std::uint32_t step = 1;
  std::uint32_t high = from + 1;
  while (high < size && data[high] < key) {
    low = high;
    step *= 2;
    high = (size - from > step) ? from + step : size;
  }
  return static_cast<std::uint32_t>(std::lower_bound(data + low + 1, data + high, key) - data);
}

}  // namespace linli::search::detail
