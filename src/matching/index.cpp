#include "matching/index.hpp"

namespace linli::matching {

WeekHours AllWeek() {
  // 168 bits: two full words and the low 40 bits of the third.
  return {~std::uint64_t{0}, ~std::uint64_t{0}, (std::uint64_t{1} << 40) - 1};
}

}  // namespace linli::matching
