#include "core/qr.hpp"

#include <string>

#include <gtest/gtest.h>

namespace linli {
namespace {

TEST(QrSvg, DrawsAScalableCodeWithItsTitle) {
  auto svg = QrSvg("LINLI-PASS-7K3M9Q", "访客通行码 <A&B>");
  ASSERT_TRUE(svg) << svg.error().detail;
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 33 33\""))
      << *svg;  // version 2 (25 modules) plus a 4-module quiet zone on each side
  EXPECT_NE(svg->find("<title>访客通行码 &lt;A&amp;B&gt;</title>"), std::string::npos);
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);  // the top-left finder's top row
}

TEST(QrSvg, RefusesTextBeyondTheLargestCode) {
  auto svg = QrSvg(std::string(8000, 'x'), "x");
  ASSERT_FALSE(svg);
  EXPECT_EQ(svg.error().errors.at(0).reason, "too_long");
}

}  // namespace
}  // namespace linli
