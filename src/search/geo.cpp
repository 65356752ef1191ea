#include "search/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace linli::search {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;
// About 6 mm on the ground: covers rounding in the bounding-box trigonometry, so the box never
// excludes a point that HaversineM places inside the radius.
constexpr double kMarginRad = 1e-9;
// Coordinates rounded to float are off by at most half an ulp: 3.8e-6° at |lat| <= 90,
// 7.6e-6° at |lon| <= 180. MayContain widens the box by more than that.
constexpr double kFloatMarginDeg = 2e-5;

int RowOf(double lat) {
  const int row = static_cast<int>(std::floor((lat + 90.0) * kGridRows / 180.0));
  return std::clamp(row, 0, kGridRows - 1);
}

int ColOf(double lon) {
  const int col = static_cast<int>(std::floor((lon + 180.0) * kGridCols / 360.0));
  return std::clamp(col, 0, kGridCols - 1);
}

}  // namespace

double HaversineM(double lat1, double lon1, double lat2, double lon2) {
  const double phi1 = lat1 * kRadPerDeg;
  const double phi2 = lat2 * kRadPerDeg;
  const double sin_dphi = std::sin((phi2 - phi1) / 2);
  const double sin_dlambda = std::sin((lon2 - lon1) * kRadPerDeg / 2);
  const double a =
      sin_dphi * sin_dphi + std::cos(phi1) * std::cos(phi2) * sin_dlambda * sin_dlambda;
  return 2 * kEarthRadiusM * std::asin(std::sqrt(std::min(1.0, a)));
}

bool ValidPoint(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && std::abs(lat) <= 90.0 &&
         std::abs(lon) <= 180.0;
}

std::uint32_t CellOf(double lat, double lon) {
  return static_cast<std::uint32_t>(RowOf(lat)) * kGridCols +
         static_cast<std::uint32_t>(ColOf(lon));
}

CellRange::CellRange(double lat, double lon, double radius_m) {
  const double delta = radius_m / kEarthRadiusM + kMarginRad;  // angular radius
  const double phi = lat * kRadPerDeg;
  double lat_lo = (phi - delta) / kRadPerDeg;
  double lat_hi = (phi + delta) / kRadPerDeg;
  bool all_cols = false;
  if (lat_lo <= -90.0 || lat_hi >= 90.0 || delta >= std::numbers::pi / 2) {
    all_cols = true;  // a pole is inside the cap: every longitude is
  }
  lat_lo = std::max(lat_lo, -90.0);
  lat_hi = std::min(lat_hi, 90.0);
  lat_lo_ = lat_lo - kFloatMarginDeg;
  lat_hi_ = lat_hi + kFloatMarginDeg;
  row_lo_ = RowOf(lat_lo);
  row_hi_ = RowOf(lat_hi);
  double dlon = 180.0;
  if (!all_cols) {
    const double ratio = std::sin(delta) / std::cos(phi);
    if (ratio >= 1.0) {
      all_cols = true;
    } else {
      dlon = std::asin(ratio) / kRadPerDeg + kMarginRad / kRadPerDeg;
      all_cols = dlon >= 180.0;
    }
  }
  all_lons_ = all_cols;
  if (all_cols) {
    intervals_ = 1;
    col_lo_[0] = 0;
    col_hi_[0] = kGridCols - 1;
    return;
  }
  const double lon_lo = lon - dlon;
  const double lon_hi = lon + dlon;
  // The box's longitudes inside [-180, 180]: one interval, or two across the antimeridian.
  lon_lo_[0] = std::max(lon_lo, -180.0) - kFloatMarginDeg;
  lon_hi_[0] = std::min(lon_hi, 180.0) + kFloatMarginDeg;
  if (lon_lo < -180.0) {
    lon_lo_[1] = lon_lo + 360.0 - kFloatMarginDeg;
    lon_hi_[1] = 180.0 + kFloatMarginDeg;
  } else if (lon_hi > 180.0) {
    lon_lo_[1] = -180.0 - kFloatMarginDeg;
    lon_hi_[1] = lon_hi - 360.0 + kFloatMarginDeg;
  }
  // Split at the antimeridian into at most two intervals inside [-180, 180].
  intervals_ = 0;
  col_lo_[intervals_] = ColOf(std::max(lon_lo, -180.0));
  col_hi_[intervals_] = ColOf(std::min(lon_hi, 180.0));
  ++intervals_;
  // The wrapped part may share its edge cell with the first interval: never list a cell twice.
  if (lon_lo < -180.0) {
    col_lo_[intervals_] = std::max(ColOf(lon_lo + 360.0), col_hi_[0] + 1);
    col_hi_[intervals_] = kGridCols - 1;
    ++intervals_;
  } else if (lon_hi > 180.0) {
    col_lo_[intervals_] = 0;
    col_hi_[intervals_] = std::min(ColOf(lon_hi - 360.0), col_lo_[0] - 1);
    ++intervals_;
  }
}

bool CellRange::Contains(std::uint32_t cell) const {
  const int row = static_cast<int>(cell / kGridCols);
  const int col = static_cast<int>(cell % kGridCols);
  if (row < row_lo_ || row > row_hi_) return false;
  for (int i = 0; i < intervals_; ++i) {
    if (col >= col_lo_[i] && col <= col_hi_[i]) return true;
  }
  return false;
}

std::uint64_t CellRange::Count() const {
  std::uint64_t cols = 0;
  for (int i = 0; i < intervals_; ++i) {
    cols += static_cast<std::uint64_t>(std::max(0, col_hi_[i] - col_lo_[i] + 1));
  }
  return static_cast<std::uint64_t>(std::max(0, row_hi_ - row_lo_ + 1)) * cols;
}

}  // namespace linli::search
