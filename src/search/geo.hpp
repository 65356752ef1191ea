#pragma once
// Distances and the uniform grid behind radius queries. Cells are 0.009° × 0.009° (about 1 km
// north–south, 1 km × cos(latitude) east–west: 0.77 km in Shanghai), so a 1 km radius touches
// about a dozen cells; the exact test is the haversine distance.
#include <array>
#include <cstdint>

namespace linli::search {

inline constexpr double kEarthRadiusM = 6371008.8;  // mean radius (IUGG)
inline constexpr int kGridRows = 20000;             // 180° / 0.009°
inline constexpr int kGridCols = 40000;             // 360° / 0.009°

// Great-circle distance in metres between two WGS-84 points given in degrees.
double HaversineM(double lat1, double lon1, double lat2, double lon2);

// A valid point: finite, latitude within ±90°, longitude within ±180°.
bool ValidPoint(double lat, double lon);

// The grid cell of a valid point (row * kGridCols + col).
std::uint32_t CellOf(double lat, double lon);

// The cells that can hold a point within `radius_m` of (lat, lon): a superset, from the exact
// bounding box of the spherical cap (Matuschek), widened by a hair against rounding.
class CellRange {
 public:
  CellRange(double lat, double lon, double radius_m);

  bool Contains(std::uint32_t cell) const;
  // False only for points certainly outside the radius: the cap's bounding box, widened to
  // cover coordinates rounded to float. A cheap screen before the exact HaversineM.
  bool MayContain(float lat, float lon) const {
    if (lat < lat_lo_ || lat > lat_hi_) return false;
    if (all_lons_) return true;
    return (lon >= lon_lo_[0] && lon <= lon_hi_[0]) || (lon >= lon_lo_[1] && lon <= lon_hi_[1]);
  }
  // Number of cells in the range (to decide between enumerating it and scanning the grid).
  std::uint64_t Count() const;
  // Calls fn(cell) for every cell of the range.
  template <class Fn>
  void ForEach(Fn&& fn) const {
    for (int row = row_lo_; row <= row_hi_; ++row) {
      for (int i = 0; i < intervals_; ++i) {
        for (int col = col_lo_[i]; col <= col_hi_[i]; ++col) {
          fn(static_cast<std::uint32_t>(row) * kGridCols + static_cast<std::uint32_t>(col));
        }
      }
    }
  }

 private:
  double lat_lo_ = 0;  // the cap's bounding box in degrees
  double lat_hi_ = 0;
  bool all_lons_ = false;
  std::array<double, 2> lon_lo_{0, 0};
  std::array<double, 2> lon_hi_{-1, -1};
  int row_lo_ = 0;
  int row_hi_ = -1;
  int intervals_ = 0;  // longitude intervals: two when the range crosses ±180°
  std::array<int, 2> col_lo_{0, 0};
  std::array<int, 2> col_hi_{-1, -1};
};

}  // namespace linli::search
