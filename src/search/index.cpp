#include "search/index.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "search/card_text.hpp"
#include "search/geo.hpp"
#include "search/limits.hpp"
#include "search/postings.hpp"
#include "search/tokenizer.hpp"

namespace linli::search {
namespace {

using detail::BigramKey;
using detail::BuildBlob;
using detail::CodeOf;
using detail::DenseCode;
using detail::DenseCodes;
using detail::DocTerms;
using detail::ExtractTerms;
using detail::FoldTags;
using detail::ForEachField;
using detail::Gallop;
using detail::kCodeBits;
using detail::kCodeMask;
using detail::kCodePlain;
using detail::kCodeRepeated;
using detail::kTitleField;
using detail::MakeEntry;
using detail::MallocBytes;
using detail::PostingList;
using detail::SlotList;
using detail::SlotOf;
using detail::StringHeapBytes;
using detail::UnigramKey;

constexpr std::uint32_t kNoCell = 0xFFFFFFFFU;

// BM25 with the term frequency read from the match code (1, 2 or 3: a title match counts as
// three occurrences).
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

// The query planner's cost model for radius queries, in units of one sequential step: a random
// probe into screens_ (likely a cache miss) and the guessed share of cell entries that pass
// the screen and then look the slot up in the lists.
constexpr double kRandomProbeCost = 4.0;
constexpr double kScreenPassGuess = 0.25;
// Candidates whose records are prefetched together, and how far ahead a list-driven scan
// prefetches the screens.
constexpr std::size_t kBatchMax = 32;
constexpr std::uint32_t kPrefetchAhead = 16;

enum class Visibility : std::uint8_t { kCommunity, kStreet, kCity };

// A 4-byte digest of what most queries filter on — kind, status and the visibility scope —
// kept per slot and inside every grid cell entry, so candidates are screened without touching
// their 64-byte record (a likely cache miss), and a radius query screens a cell while reading
// it sequentially. Exact checks on the record follow for whatever passes.
constexpr std::uint8_t kUnscreened = 0xFF;         // interned id beyond a byte: record decides
constexpr std::uint16_t kNoScope = 3U << 14;       // visible to nobody (free slot, no scope id)
constexpr std::uint16_t kViewerNoScope = 0xFFFFU;  // a viewer without that place: never equal

struct Screen {
  std::uint8_t kind = kUnscreened;
  std::uint8_t status = kUnscreened;
  std::uint16_t scope = kNoScope;  // visibility << 14 | 14-bit hash of the scope id
};

std::uint8_t ScreenId(std::uint16_t interned) {
  return interned < kUnscreened ? static_cast<std::uint8_t>(interned) : kUnscreened;
}

std::uint16_t ScopeTag(Visibility visibility, std::int64_t scope_id) {
  const std::uint64_t hash = static_cast<std::uint64_t>(scope_id) * 0x9E3779B97F4A7C15ULL;
  return static_cast<std::uint16_t>((static_cast<unsigned>(visibility) << 14) | (hash >> 50));
}

// The grid is partitioned by kind as well as by cell: nearly every market query names a kind,
// and then reads a quarter of the cell.
constexpr std::uint64_t kNoGeo = ~std::uint64_t{0};
constexpr std::uint64_t GeoKey(std::uint32_t cell, std::uint8_t kind) {
  return (std::uint64_t{cell} << 8) | kind;
}

// What a query asks of a Screen. Bitwise operators on purpose: the outcomes are unpredictable,
// branches would mispredict.
struct ScreenFilter {
  std::uint8_t kind = kUnscreened;  // kUnscreened: any
  std::uint8_t status = kUnscreened;
  std::uint16_t community = kViewerNoScope;  // the viewer's tag for each scope
  std::uint16_t street = kViewerNoScope;
  std::uint16_t city = kViewerNoScope;

  bool Passes(const Screen& screen) const {
    const std::uint8_t any_kind = kind == kUnscreened ? 0xFF : 0;
    const std::uint8_t any_status = status == kUnscreened ? 0xFF : 0;
    const bool kind_ok = (screen.kind | any_kind) == (kind | any_kind);
    const bool status_ok = (screen.status | any_status) == (status | any_status);
    const bool scope_ok =
        (screen.scope == community) | (screen.scope == street) | (screen.scope == city);
    return kind_ok & status_ok & scope_ok;
  }
};

// A grid cell's entry carries the screen and the location rounded to float, so a radius query
// rejects most of a cell's cards (other kinds, other scopes, outside the cap's bounding box)
// from one sequential read.
struct GeoEntry {
  std::uint32_t slot = 0;
  Screen screen;
  float lat = 0;
  float lon = 0;
};

constexpr std::uint32_t EntrySlot(const GeoEntry& entry) {
  return entry.slot;
}

using CellList = SlotList<GeoEntry>;

Visibility ParseVisibility(const std::string& text) {
  if (text == "street") return Visibility::kStreet;
  if (text == "city") return Visibility::kCity;
  return Visibility::kCommunity;  // anything else gets the narrowest scope
}

// Interns the few distinct values of kind, rule and status so each slot stores 2 bytes.
class Interner {
 public:
  static constexpr std::uint16_t kOverflow = 0xFFFF;  // matches no filter

  std::uint16_t Intern(const std::string& value) {
    const auto it = ids_.find(value);
    if (it != ids_.end()) return it->second;
    if (names_.size() >= kOverflow) return kOverflow;
    const auto id = static_cast<std::uint16_t>(names_.size());
    names_.push_back(value);
    ids_.emplace(value, id);
    return id;
  }

  std::optional<std::uint16_t> Find(const std::string& value) const {
    const auto it = ids_.find(value);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

  std::size_t Size() const { return names_.size(); }

  std::size_t HeapBytes() const {
    std::size_t bytes = MallocBytes(names_.capacity() * sizeof(std::string));
    for (const auto& name : names_) bytes += 2 * StringHeapBytes(name) + MallocBytes(64);
    return bytes + MallocBytes(ids_.bucket_count() * sizeof(void*));
  }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint16_t> ids_;
};

// What filtering and sorting need, one cache line per card.
struct Record {
  std::int64_t id = 0;
  std::int64_t scope_id = 0;  // the community, street or city id its visibility names
  std::int64_t updated_at = 0;
  std::int64_t price_fen = 0;
  double lat = 0;
  double lon = 0;
  std::uint32_t cell = kNoCell;  // kNoCell: no (valid) location
  std::uint16_t kind = 0;
  std::uint16_t rule = 0;
  std::uint16_t status = 0;
  std::uint16_t length = 0;  // indexed characters and words, for BM25's length normalisation
  Visibility visibility = Visibility::kCommunity;
  bool alive = false;
};

// Walks two sorted sequences: removed(old) / added(new) / both(old, new).
template <class T, class Key, class Removed, class Added, class Both>
void Diff(const std::vector<T>& before, const std::vector<T>& after, Key key, Removed removed,
          Added added, Both both) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < before.size() || j < after.size()) {
    if (j == after.size() || (i < before.size() && key(before[i]) < key(after[j]))) {
      removed(before[i++]);
    } else if (i == before.size() || key(after[j]) < key(before[i])) {
      added(after[j++]);
    } else {
      both(before[i++], after[j++]);
    }
  }
}

// One list a candidate must be in: an array of entries or dense codes. `term` is the query
// term it scores (-1: a tag filter).
struct AndList {
  const std::uint32_t* data = nullptr;  // sorted entries, or nullptr for dense codes
  const std::uint64_t* low = nullptr;
  const std::uint64_t* high = nullptr;
  std::uint32_t words = 0;
  std::uint32_t size = 0;  // entries (cards)
  int term = -1;
};

AndList ListOf(const PostingList& list, int term) {
  AndList out;
  out.size = list.Size();
  out.term = term;
  if (const DenseCodes* dense = list.Dense()) {
    out.low = dense->low.data();
    out.high = dense->high.data();
    out.words = static_cast<std::uint32_t>(dense->low.size());
  } else {
    out.data = list.Entries().data();
  }
  return out;
}

struct Candidate {
  double key1 = 0;  // sort keys, ascending, then id
  std::int64_t key2 = 0;
  std::int64_t id = 0;
  double score = 0;
  double distance_m = -1;  // < 0: unknown
};

// std::shared_mutex is a glibc rwlock that prefers readers: under a steady stream of searches
// an update could wait forever. Writers announce themselves and new readers hold back until
// they are through; a reader that got in first finishes (searches are short).
class WriterFirstLock {
 public:
  class Shared {
   public:
    explicit Shared(const WriterFirstLock& lock) : lock_(lock) {
      for (int waiting = lock_.writers_waiting_.load(); waiting > 0;
           waiting = lock_.writers_waiting_.load()) {
        lock_.writers_waiting_.wait(waiting);
      }
      lock_.mutex_.lock_shared();
    }
    ~Shared() { lock_.mutex_.unlock_shared(); }
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

   private:
    const WriterFirstLock& lock_;
  };

  class Exclusive {
   public:
    explicit Exclusive(WriterFirstLock& lock) : lock_(lock) {
      lock_.writers_waiting_.fetch_add(1);
      lock_.mutex_.lock();
      lock_.writers_waiting_.fetch_sub(1);
      lock_.writers_waiting_.notify_all();
    }
    ~Exclusive() { lock_.mutex_.unlock(); }
    Exclusive(const Exclusive&) = delete;
    Exclusive& operator=(const Exclusive&) = delete;

   private:
    WriterFirstLock& lock_;
  };

 private:
  mutable std::shared_mutex mutex_;
  mutable std::atomic<int> writers_waiting_{0};
};

}  // namespace

class Index::Impl {
 public:
  void Upsert(const Document& document) {
    // Folding and term extraction need no lock.
    std::string blob = BuildBlob(document);
    const DocTerms terms = ExtractTerms(blob);
    const bool located = document.lat && document.lon && ValidPoint(*document.lat, *document.lon);

    WriterFirstLock::Exclusive lock(lock_);
    const auto it = slot_of_id_.find(document.id);
    std::uint32_t slot = 0;
    if (it == slot_of_id_.end()) {
      slot = AllocateSlot();
      slot_of_id_.emplace(document.id, slot);
      AddTerms(slot, terms);
    } else {
      slot = it->second;
      if (blobs_[slot] != blob) ReplaceTerms(slot, ExtractTerms(blobs_[slot]), terms);
      length_sum_ -= records_[slot].length;
    }
    blobs_[slot] = std::move(blob);

    Record& record = records_[slot];
    const bool was_alive = record.alive;
    const std::uint64_t old_geo =
        was_alive && record.cell != kNoCell ? GeoKey(record.cell, screens_[slot].kind) : kNoGeo;
    record.id = document.id;
    record.visibility = ParseVisibility(document.visibility);
    switch (record.visibility) {
      case Visibility::kCommunity: record.scope_id = document.community_id; break;
      case Visibility::kStreet: record.scope_id = document.street_id; break;
      case Visibility::kCity: record.scope_id = document.city_id; break;
    }
    record.updated_at = document.updated_at;
    record.price_fen = document.price_fen;
    record.lat = located ? *document.lat : 0;
    record.lon = located ? *document.lon : 0;
    record.cell = located ? CellOf(*document.lat, *document.lon) : kNoCell;
    record.kind = kinds_.Intern(document.kind);
    record.rule = rules_.Intern(document.rule);
    record.status = statuses_.Intern(document.status);
    record.length = static_cast<std::uint16_t>(std::min<std::uint32_t>(terms.length, 0xFFFF));
    record.alive = true;
    length_sum_ += record.length;

    Screen& screen = screens_[slot];
    screen.kind = ScreenId(record.kind);
    screen.status = ScreenId(record.status);
    screen.scope = record.scope_id > 0 ? ScopeTag(record.visibility, record.scope_id) : kNoScope;
    const std::uint64_t new_geo =
        record.cell != kNoCell ? GeoKey(record.cell, screen.kind) : kNoGeo;
    if (old_geo != kNoGeo && old_geo != new_geo) EraseGeo(old_geo, slot);
    if (new_geo != kNoGeo) {
      CellList& cell = cells_[new_geo];
      const GeoEntry geo{slot, screen, static_cast<float>(record.lat),
                         static_cast<float>(record.lon)};
      if (GeoEntry* entry = old_geo == new_geo ? cell.Find(slot) : nullptr) {
        *entry = geo;
      } else {
        cell.Add(geo);
      }
    }
  }

  void Remove(std::int64_t id) {
    WriterFirstLock::Exclusive lock(lock_);
    const auto it = slot_of_id_.find(id);
    if (it == slot_of_id_.end()) return;
    const std::uint32_t slot = it->second;
    slot_of_id_.erase(it);
    Record& record = records_[slot];
    RemoveTerms(slot, ExtractTerms(blobs_[slot]));
    if (record.cell != kNoCell) EraseGeo(GeoKey(record.cell, screens_[slot].kind), slot);
    length_sum_ -= record.length;
    record = Record{};
    screens_[slot] = Screen{};
    std::string().swap(blobs_[slot]);
    free_slots_.push_back(slot);
  }

  void Clear() {
    WriterFirstLock::Exclusive lock(lock_);
    // Assigning fresh containers (not clear()) hands the memory back.
    records_ = decltype(records_){};
    blobs_ = decltype(blobs_){};
    screens_ = decltype(screens_){};
    free_slots_ = decltype(free_slots_){};
    slot_of_id_ = decltype(slot_of_id_){};
    grams_ = decltype(grams_){};
    words_ = decltype(words_){};
    tags_ = decltype(tags_){};
    cells_ = decltype(cells_){};
    length_sum_ = 0;
  }

  Results Search(const Query& query) const;

  std::size_t size() const {
    WriterFirstLock::Shared lock(lock_);
    return slot_of_id_.size();
  }

  std::size_t MemoryBytes() const;

 private:
  std::uint32_t AllocateSlot() {
    if (!free_slots_.empty()) {
      const std::uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      return slot;
    }
    if (records_.size() >= limits::kSlotsMax) {
      throw std::length_error("search: index is full");  // 2^30 cards cannot fit in memory
    }
    records_.emplace_back();
    blobs_.emplace_back();
    screens_.emplace_back();
    return static_cast<std::uint32_t>(records_.size() - 1);
  }

  template <class Map, class Key>
  void AddPosting(Map& map, const Key& key, std::uint32_t slot, std::uint32_t code) {
    map[key].Add(slot, code, records_.size());
  }

  template <class Map, class Key>
  void ErasePosting(Map& map, const Key& key, std::uint32_t slot) {
    const auto it = map.find(key);
    if (it == map.end()) return;
    it->second.Erase(slot, records_.size());
    if (it->second.Empty()) map.erase(it);
  }

  template <class Map, class Key>
  static void SetCode(Map& map, const Key& key, std::uint32_t slot, std::uint32_t code) {
    const auto it = map.find(key);
    if (it != map.end()) it->second.SetCode(slot, code);
  }

  void EraseGeo(std::uint64_t key, std::uint32_t slot) {
    const auto it = cells_.find(key);
    if (it == cells_.end()) return;
    it->second.Erase(slot);
    if (it->second.Empty()) cells_.erase(it);
  }

  static std::uint64_t GramKey(std::uint64_t gram) { return gram >> kCodeBits; }
  static std::uint32_t GramCode(std::uint64_t gram) {
    return static_cast<std::uint32_t>(gram & kCodeMask);
  }

  void AddTerms(std::uint32_t slot, const DocTerms& terms) {
    for (const std::uint64_t gram : terms.grams) {
      AddPosting(grams_, GramKey(gram), slot, GramCode(gram));
    }
    for (const auto& [word, code] : terms.words) AddPosting(words_, word, slot, code);
    for (const auto& tag : terms.tags) AddPosting(tags_, tag, slot, kCodePlain);
  }

  void RemoveTerms(std::uint32_t slot, const DocTerms& terms) {
    for (const std::uint64_t gram : terms.grams) ErasePosting(grams_, GramKey(gram), slot);
    for (const auto& [word, code] : terms.words) ErasePosting(words_, word, slot);
    for (const auto& tag : terms.tags) ErasePosting(tags_, tag, slot);
  }

  // Touches only the postings whose term or match code changed.
  void ReplaceTerms(std::uint32_t slot, const DocTerms& before, const DocTerms& after) {
    Diff(
        before.grams, after.grams, GramKey,
        [&](std::uint64_t gram) { ErasePosting(grams_, GramKey(gram), slot); },
        [&](std::uint64_t gram) { AddPosting(grams_, GramKey(gram), slot, GramCode(gram)); },
        [&](std::uint64_t old_gram, std::uint64_t new_gram) {
          if (old_gram != new_gram) SetCode(grams_, GramKey(new_gram), slot, GramCode(new_gram));
        });
    using Word = std::pair<std::string, std::uint32_t>;
    const auto word_key = [](const Word& word) -> const std::string& { return word.first; };
    Diff(
        before.words, after.words, word_key,
        [&](const Word& word) { ErasePosting(words_, word.first, slot); },
        [&](const Word& word) { AddPosting(words_, word.first, slot, word.second); },
        [&](const Word& old_word, const Word& new_word) {
          if (old_word.second != new_word.second) {
            SetCode(words_, new_word.first, slot, new_word.second);
          }
        });
    const auto tag_key = [](const std::string& tag) -> const std::string& { return tag; };
    Diff(
        before.tags, after.tags, tag_key,
        [&](const std::string& tag) { ErasePosting(tags_, tag, slot); },
        [&](const std::string& tag) { AddPosting(tags_, tag, slot, kCodePlain); },
        [](const std::string&, const std::string&) {});
  }

  WriterFirstLock lock_;
  std::vector<Record> records_;     // by slot
  std::vector<std::string> blobs_;  // by slot
  std::vector<Screen> screens_;     // by slot
  std::vector<std::uint32_t> free_slots_;
  std::unordered_map<std::int64_t, std::uint32_t> slot_of_id_;
  std::unordered_map<std::uint64_t, PostingList> grams_;   // unigrams and bigrams
  std::map<std::string, PostingList, std::less<>> words_;  // ordered: prefix queries are ranges
  std::unordered_map<std::string, PostingList> tags_;      // exact tag filter
  std::unordered_map<std::uint64_t, CellList> cells_;      // geo grid: GeoKey(cell, kind)
  Interner kinds_;
  Interner rules_;
  Interner statuses_;
  std::uint64_t length_sum_ = 0;
};

Results Index::Impl::Search(const Query& query) const {
  Results results;
  // Everything that does not read the index happens before taking the lock.
  const std::vector<QueryTerm> terms = ParseQueryText(query.text);
  const std::vector<std::string> tags = FoldTags(query.tags, query.tags.size());
  if (tags.size() > limits::kQueryTagsMax) return results;  // no card has that many tags
  if (std::any_of(tags.begin(), tags.end(), [](const std::string& t) { return t.empty(); })) {
    return results;  // cards never carry an empty tag
  }
  // Invalid geometry matches nothing rather than silently dropping the filter.
  if (query.lat.has_value() != query.lon.has_value()) return results;
  const bool has_point = query.lat.has_value();
  if (has_point && !ValidPoint(*query.lat, *query.lon)) return results;
  const bool has_radius = query.radius_m.has_value();
  if (has_radius && (!has_point || std::isnan(*query.radius_m) || *query.radius_m < 0)) {
    return results;
  }
  const double lat = has_point ? *query.lat : 0;
  const double lon = has_point ? *query.lon : 0;
  const double radius_m = has_radius ? *query.radius_m : 0;
  const CellRange range(lat, lon, radius_m);

  WriterFirstLock::Shared lock(lock_);
  const auto live = static_cast<double>(slot_of_id_.size());
  if (live == 0) return results;

  std::optional<std::uint16_t> kind;
  std::optional<std::uint16_t> rule;
  std::optional<std::uint16_t> status;
  if (query.kind && !(kind = kinds_.Find(*query.kind))) return results;
  if (query.rule && !(rule = rules_.Find(*query.rule))) return results;
  if (query.status && !(status = statuses_.Find(*query.status))) return results;

  // Text terms and tags become lists every result must be in.
  std::vector<AndList> lists;
  std::vector<std::vector<std::uint32_t>> unions;  // storage for word-prefix unions
  unions.reserve(terms.size());
  std::array<double, limits::kQueryTermsMax> idf{};
  std::vector<int> verified_terms;  // runs of 3+ characters: checked against the blob
  const auto df_idf = [&](double df) { return std::log(1 + (live - df + 0.5) / (df + 0.5)); };
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const QueryTerm& term = terms[t];
    const int term_index = static_cast<int>(t);
    if (term.kind == QueryTerm::Kind::kWordPrefix) {
      std::vector<const PostingList*> matching;
      for (auto it = words_.lower_bound(term.text);
           it != words_.end() && std::string_view(it->first).starts_with(term.text); ++it) {
        matching.push_back(&it->second);
      }
      if (matching.empty()) return results;
      if (matching.size() == 1) {
        lists.push_back(ListOf(*matching[0], term_index));
      } else {
        auto& merged = unions.emplace_back();
        for (const auto* list : matching) {
          list->ForEach([&](std::uint32_t entry) { merged.push_back(entry); });
        }
        std::sort(merged.begin(), merged.end());
        std::size_t out = 0;
        for (const std::uint32_t entry : merged) {  // one entry per slot; two words: repeated
          if (out > 0 && SlotOf(merged[out - 1]) == SlotOf(entry)) {
            const std::uint32_t code =
                std::max({merged[out - 1] & kCodeMask, entry & kCodeMask, kCodeRepeated});
            merged[out - 1] = MakeEntry(SlotOf(entry), code);
          } else {
            merged[out++] = entry;
          }
        }
        merged.resize(out);
        AndList list;
        list.data = merged.data();
        list.size = static_cast<std::uint32_t>(merged.size());
        list.term = term_index;
        lists.push_back(list);
      }
      idf[t] = df_idf(static_cast<double>(lists.back().size));
      continue;
    }
    std::vector<std::uint64_t> keys;
    if (term.chars.size() == 1) {
      keys.push_back(UnigramKey(term.chars[0]));
    } else {
      for (std::size_t i = 0; i + 1 < term.chars.size(); ++i) {
        keys.push_back(BigramKey(term.chars[i], term.chars[i + 1]));
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    }
    std::vector<AndList> term_lists;
    for (const std::uint64_t key : keys) {
      const auto it = grams_.find(key);
      if (it == grams_.end()) return results;
      term_lists.push_back(ListOf(it->second, term_index));
    }
    std::sort(term_lists.begin(), term_lists.end(),
              [](const AndList& a, const AndList& b) { return a.size < b.size; });
    if (term_lists.size() > limits::kRunBigramsMax) term_lists.resize(limits::kRunBigramsMax);
    idf[t] = df_idf(static_cast<double>(term_lists[0].size));
    lists.insert(lists.end(), term_lists.begin(), term_lists.end());
    if (term.chars.size() >= 3) verified_terms.push_back(term_index);
  }
  for (const auto& tag : tags) {
    const auto it = tags_.find(tag);
    if (it == tags_.end()) return results;
    lists.push_back(ListOf(it->second, -1));
  }
  // Rarest first: it drives, and the others are probed in order of size (dense ones last).
  std::sort(lists.begin(), lists.end(),
            [](const AndList& a, const AndList& b) { return a.size < b.size; });

  std::vector<std::span<const GeoEntry>> cells;
  std::size_t cell_entries = 0;
  if (has_radius) {
    const auto add = [&](const CellList& list) {
      cells.push_back(list.Entries());
      cell_entries += list.Entries().size();
    };
    // The kinds to read: the query's, or all of them.
    std::vector<std::uint8_t> kinds;
    if (kind) {
      kinds.push_back(ScreenId(*kind));
    } else {
      for (std::size_t k = 0; k < std::min<std::size_t>(kinds_.Size(), kUnscreened); ++k) {
        kinds.push_back(static_cast<std::uint8_t>(k));
      }
      if (kinds_.Size() > kUnscreened) kinds.push_back(kUnscreened);
    }
    if (range.Count() * kinds.size() <= cells_.size()) {
      range.ForEach([&](std::uint32_t cell) {
        for (const std::uint8_t k : kinds) {
          const auto it = cells_.find(GeoKey(cell, k));
          if (it != cells_.end()) add(it->second);
        }
      });
    } else {
      for (const auto& [key, list] : cells_) {
        const auto k = static_cast<std::uint8_t>(key & 0xFF);
        if (range.Contains(static_cast<std::uint32_t>(key >> 8)) &&
            std::find(kinds.begin(), kinds.end(), k) != kinds.end()) {
          add(list);
        }
      }
    }
  }

  const double avg_length = std::max(1.0, static_cast<double>(length_sum_) / live);
  const bool by_text = !terms.empty();
  // Relevance without text and distance without a point have nothing to order by: newest.
  const Sort sort =
      (query.sort == Sort::kRelevance && !by_text) || (query.sort == Sort::kDistance && !has_point)
          ? Sort::kNewest
          : query.sort;
  std::vector<Candidate> candidates;
  std::array<std::uint32_t, limits::kQueryTermsMax> codes{};

  // Screening: a cheap test on the 4-byte digest that may let a few through wrongly (hash
  // collisions, interned ids beyond a byte), never keeps one out wrongly.
  const auto viewer_tag = [](Visibility visibility, std::int64_t id) {
    return id > 0 ? ScopeTag(visibility, id) : kViewerNoScope;
  };
  ScreenFilter screen;
  screen.kind = kind ? ScreenId(*kind) : kUnscreened;
  screen.status = status ? ScreenId(*status) : kUnscreened;
  screen.community = viewer_tag(Visibility::kCommunity, query.viewer_community_id);
  screen.street = viewer_tag(Visibility::kStreet, query.viewer_street_id);
  screen.city = viewer_tag(Visibility::kCity, query.viewer_city_id);

  // The exact checks on the record: attributes, visibility, distance, substrings; then the score.
  const auto consider = [&](std::uint32_t slot, const std::uint32_t* matched) {
    const Record& record = records_[slot];
    if (!record.alive) return;
    if ((kind && record.kind != *kind) || (rule && record.rule != *rule) ||
        (status && record.status != *status)) {
      return;
    }
    if (record.scope_id <= 0) return;  // no scope: visible to nobody rather than everybody
    switch (record.visibility) {
      case Visibility::kCommunity:
        if (record.scope_id != query.viewer_community_id) return;
        break;
      case Visibility::kStreet:
        if (record.scope_id != query.viewer_street_id) return;
        break;
      case Visibility::kCity:
        if (record.scope_id != query.viewer_city_id) return;
        break;
    }
    double distance_m = -1;
    if (has_point && record.cell != kNoCell) {
      distance_m = HaversineM(lat, lon, record.lat, record.lon);
    }
    if (has_radius && (record.cell == kNoCell || !(distance_m <= radius_m))) return;

    std::fill(codes.begin(), codes.end(), 0);
    for (std::size_t k = 0; k < lists.size(); ++k) {
      if (lists[k].term >= 0) {
        codes[lists[k].term] = std::max(codes[lists[k].term], matched[k] & kCodeMask);
      }
    }
    if (!verified_terms.empty()) {
      const std::string_view blob = blobs_[slot];
      for (const int t : verified_terms) {
        const std::string_view needle = terms[t].text;
        std::size_t count = 0;
        bool in_title = false;
        ForEachField(blob, [&](std::size_t index, std::string_view field) {
          for (std::size_t at = field.find(needle); at != std::string_view::npos && count < 2;
               at = field.find(needle, at + 1)) {
            ++count;
            in_title = in_title || index == kTitleField;
          }
        });
        if (count == 0) return;
        codes[t] = CodeOf(in_title, count);
      }
    }
    double score = 0;
    if (by_text) {
      const double norm = kBm25K1 * (1 - kBm25B + kBm25B * record.length / avg_length);
      for (std::size_t t = 0; t < terms.size(); ++t) {
        const double tf = codes[t];
        score += idf[t] * tf * (kBm25K1 + 1) / (tf + norm);
      }
    }
    Candidate candidate;
    candidate.id = record.id;
    candidate.score = score;
    candidate.distance_m = distance_m;
    switch (sort) {
      case Sort::kRelevance:
        candidate.key1 = -score;
        candidate.key2 = -record.updated_at;
        break;
      case Sort::kDistance:
        candidate.key1 = distance_m >= 0 ? distance_m : HUGE_VAL;  // unlocated cards last
        candidate.key2 = -record.updated_at;
        break;
      case Sort::kNewest:
        candidate.key1 = -static_cast<double>(record.updated_at);
        candidate.key2 = -record.id;
        break;
      case Sort::kPriceLow:
        candidate.key1 = static_cast<double>(record.price_fen);
        candidate.key2 = -record.updated_at;
        break;
    }
    candidates.push_back(candidate);
  };

  // Looks `slot` up in every list but `skip`, writing the matched entries to `row`; false if
  // some list lacks it, and then `exhausted` if some array has nothing at or after it. Arrays
  // are searched forward from a cursor, dense codes probed directly.
  std::vector<std::uint32_t> cursors(lists.size());
  const auto in_lists = [&](std::uint32_t slot, std::size_t skip, std::uint32_t* row,
                            bool& exhausted) {
    const std::uint32_t key = MakeEntry(slot, 0);
    for (std::size_t k = 0; k < lists.size(); ++k) {
      if (k == skip) continue;
      const AndList& list = lists[k];
      if (list.data == nullptr) {
        const std::uint32_t code = DenseCode(list.low, list.high, list.words, slot);
        if (code == 0) return false;
        row[k] = MakeEntry(slot, code);
        continue;
      }
      const std::uint32_t at = Gallop(list.data, list.size, cursors[k], key);
      cursors[k] = at;
      if (at == list.size) {
        exhausted = true;
        return false;
      }
      if (SlotOf(list.data[at]) != slot) return false;
      row[k] = list.data[at];
    }
    return true;
  };

  // Survivors of the screen and the lists are checked in batches: their records are fetched
  // from all over memory, and prefetching a batch overlaps those cache misses.
  const std::size_t row_size = std::max<std::size_t>(lists.size(), 1);
  std::vector<std::uint32_t> batch_slots;
  std::vector<std::uint32_t> batch_rows;
  batch_slots.reserve(kBatchMax);
  batch_rows.reserve(kBatchMax * row_size);
  const auto flush = [&] {
    for (const std::uint32_t slot : batch_slots) __builtin_prefetch(&records_[slot]);
    for (std::size_t i = 0; i < batch_slots.size(); ++i) {
      consider(batch_slots[i], batch_rows.data() + i * row_size);
    }
    batch_slots.clear();
    batch_rows.clear();
  };
  // Appends a slot to the batch and returns its row for in_lists to fill; drop_last() undoes.
  const auto push = [&](std::uint32_t slot) {
    batch_slots.push_back(slot);
    batch_rows.resize(batch_rows.size() + row_size);
    return batch_rows.data() + batch_rows.size() - row_size;
  };
  const auto drop_last = [&] {
    batch_slots.pop_back();
    batch_rows.resize(batch_rows.size() - row_size);
  };
  const auto push_checked = [&](std::uint32_t slot, std::size_t skip, std::uint32_t entry,
                                bool& exhausted) {
    std::uint32_t* row = push(slot);
    if (skip == 0) row[0] = entry;
    if (!in_lists(slot, skip, row, exhausted)) {
      drop_last();
      return;
    }
    if (batch_slots.size() == kBatchMax) flush();
  };

  if (!lists.empty()) {
    if (lists[0].size == 0) return results;
    const double rarest = lists[0].size;
    // Drive by the grid cells (read sequentially, screened in place, then looked up in the
    // lists) or by the rarest list (each entry screened at a random place in screens_).
    bool by_cells = false;
    if (has_radius) {
      const double per_cell =
          std::max(1.0, static_cast<double>(cell_entries) /
                            static_cast<double>(std::max<std::size_t>(1, cells.size())));
      by_cells = static_cast<double>(cell_entries) *
                     (1 + kScreenPassGuess * std::log2(2 + rarest / per_cell)) <
                 rarest * kRandomProbeCost;
    }
    if (by_cells) {
      constexpr auto kNone = static_cast<std::size_t>(-1);
      std::vector<std::uint32_t> screened;
      for (const auto& cell : cells) {
        screened.clear();
        for (const GeoEntry& entry : cell) {
          if (screen.Passes(entry.screen) && range.MayContain(entry.lat, entry.lon)) {
            screened.push_back(entry.slot);
          }
        }
        // The dense lists are probed at random places: start those loads together.
        for (const AndList& list : lists) {
          if (list.data != nullptr) continue;
          for (const std::uint32_t slot : screened) {
            if (slot / 64 >= list.words) continue;
            __builtin_prefetch(list.low + slot / 64);
            __builtin_prefetch(list.high + slot / 64);
          }
        }
        std::fill(cursors.begin(), cursors.end(), 0);
        bool exhausted = false;
        for (const std::uint32_t slot : screened) {
          push_checked(slot, kNone, 0, exhausted);
          if (exhausted) break;
        }
      }
    } else {
      bool exhausted = false;
      const auto drive = [&](std::uint32_t entry) {
        const std::uint32_t slot = SlotOf(entry);
        if (!screen.Passes(screens_[slot])) return;
        push_checked(slot, 0, entry, exhausted);
      };
      if (lists[0].data != nullptr) {
        const std::uint32_t* data = lists[0].data;
        for (std::uint32_t i = 0; i < lists[0].size && !exhausted; ++i) {
          if (i + kPrefetchAhead < lists[0].size) {
            __builtin_prefetch(&screens_[SlotOf(data[i + kPrefetchAhead])]);
          }
          drive(data[i]);
        }
      } else {
        for (std::uint32_t word = 0; word < lists[0].words && !exhausted; ++word) {
          for (std::uint64_t bits = lists[0].low[word] | lists[0].high[word]; bits != 0;
               bits &= bits - 1) {
            const std::uint32_t slot = word * 64 + std::countr_zero(bits);
            drive(MakeEntry(slot, DenseCode(lists[0].low, lists[0].high, lists[0].words, slot)));
          }
        }
      }
    }
  } else if (has_radius) {
    for (const auto& cell : cells) {
      for (const GeoEntry& entry : cell) {
        if (!screen.Passes(entry.screen) || !range.MayContain(entry.lat, entry.lon)) continue;
        push(entry.slot);
        if (batch_slots.size() == kBatchMax) flush();
      }
    }
  } else {
    for (std::uint32_t slot = 0; slot < screens_.size(); ++slot) {
      if (!screen.Passes(screens_[slot])) continue;
      push(slot);
      if (batch_slots.size() == kBatchMax) flush();
    }
  }
  flush();

  results.total = static_cast<std::int64_t>(candidates.size());
  const auto total = static_cast<std::int64_t>(candidates.size());
  const std::int64_t begin = std::clamp<std::int64_t>(query.offset, 0, total);
  const std::int64_t end = begin + std::clamp<std::int64_t>(query.limit, 0, total - begin);
  if (end > begin) {
    const auto less = [](const Candidate& a, const Candidate& b) {
      if (a.key1 != b.key1) return a.key1 < b.key1;
      if (a.key2 != b.key2) return a.key2 < b.key2;
      return a.id < b.id;
    };
    if (end * 2 > total) {
      std::sort(candidates.begin(), candidates.end(), less);
    } else {
      std::partial_sort(candidates.begin(), candidates.begin() + end, candidates.end(), less);
    }
    results.hits.reserve(static_cast<std::size_t>(end - begin));
    for (std::int64_t i = begin; i < end; ++i) {
      const Candidate& c = candidates[static_cast<std::size_t>(i)];
      Hit hit;
      hit.id = c.id;
      hit.score = c.score;
      if (c.distance_m >= 0) hit.distance_m = c.distance_m;
      results.hits.push_back(hit);
    }
  }
  return results;
}

std::size_t Index::Impl::MemoryBytes() const {
  WriterFirstLock::Shared lock(lock_);
  // libstdc++ hash nodes: next pointer + value (+ cached hash for std::string keys); red-black
  // tree nodes: colour and three pointers + value.
  constexpr std::size_t kHashNode = sizeof(void*);
  constexpr std::size_t kCachedHash = sizeof(std::size_t);
  constexpr std::size_t kTreeNode = 4 * sizeof(void*);
  const auto buckets = [](const auto& map) {
    return MallocBytes(map.bucket_count() * sizeof(void*));
  };

  std::size_t bytes = MallocBytes(records_.capacity() * sizeof(Record)) +
                      MallocBytes(blobs_.capacity() * sizeof(std::string)) +
                      MallocBytes(screens_.capacity() * sizeof(Screen)) +
                      MallocBytes(free_slots_.capacity() * sizeof(std::uint32_t));
  for (const auto& blob : blobs_) bytes += StringHeapBytes(blob);
  bytes += buckets(slot_of_id_) +
           slot_of_id_.size() * MallocBytes(kHashNode + sizeof(decltype(slot_of_id_)::value_type));
  bytes += buckets(grams_) +
           grams_.size() * MallocBytes(kHashNode + sizeof(decltype(grams_)::value_type));
  for (const auto& [key, list] : grams_) bytes += list.HeapBytes();
  for (const auto& [word, list] : words_) {
    bytes += MallocBytes(kTreeNode + sizeof(decltype(words_)::value_type)) + StringHeapBytes(word) +
             list.HeapBytes();
  }
  bytes += buckets(tags_);
  for (const auto& [tag, list] : tags_) {
    bytes += MallocBytes(kHashNode + sizeof(decltype(tags_)::value_type) + kCachedHash) +
             StringHeapBytes(tag) + list.HeapBytes();
  }
  bytes += buckets(cells_) +
           cells_.size() * MallocBytes(kHashNode + sizeof(decltype(cells_)::value_type));
  for (const auto& [cell, list] : cells_) bytes += list.HeapBytes();
  bytes += kinds_.HeapBytes() + rules_.HeapBytes() + statuses_.HeapBytes();
  return bytes;
}

Index::Index() : impl_(std::make_unique<Impl>()) {
  WarmUpTokenizer();  // fail at startup, not on the first search, if OpenCC data is missing
}
Index::~Index() = default;

void Index::Upsert(const Document& document) {
  impl_->Upsert(document);
}
void Index::Remove(std::int64_t id) {
  impl_->Remove(id);
}
void Index::Clear() {
  impl_->Clear();
}
Results Index::Search(const Query& query) const {
  return impl_->Search(query);
}
std::size_t Index::size() const {
  return impl_->size();
}
std::size_t Index::MemoryBytes() const {
  return impl_->MemoryBytes();
}

}  // namespace linli::search
