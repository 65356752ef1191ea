#pragma once
// Bounds of the search index, named in one place. Text beyond a bound is not searchable; the
// resources module validates card fields well inside these, so they only cap hostile input.
#include <cstddef>
#include <cstdint>

namespace linli::search::limits {

// Documents
inline constexpr std::size_t kFieldCharsMax = 4096;  // code points of a title or description
inline constexpr std::size_t kTagsMax = 32;          // tags per card; further tags are ignored
inline constexpr std::size_t kTagCharsMax = 64;      // code points of one tag
inline constexpr std::size_t kWordBytesMax = 64;     // an ASCII word is indexed up to this length
// Slots are stored shifted left by two bits in the postings (two flag bits below them).
inline constexpr std::uint32_t kSlotsMax = std::uint32_t{1} << 30;

// Queries. kQueryBytesMax must not exceed kFieldCharsMax, so a card always finds itself.
inline constexpr std::size_t kQueryBytesMax = 512;      // longer query text is cut
inline constexpr std::size_t kQueryTermsMax = 16;       // further terms are ignored (results widen)
inline constexpr std::size_t kQueryTagsMax = kTagsMax;  // more distinct tags cannot all match
// A run of n >= 3 CJK characters is intersected on at most this many of its rarest bigrams;
// the substring check afterwards keeps the result exact whatever the number.
inline constexpr std::size_t kRunBigramsMax = 8;

}  // namespace linli::search::limits
