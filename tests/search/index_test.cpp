#include "search/index.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "search/geo.hpp"

namespace linli::search {
namespace {

constexpr std::int64_t kCommunity = 1;
constexpr std::int64_t kStreet = 10;
constexpr std::int64_t kCity = 100;
// People's Square, Shanghai.
constexpr double kLat = 31.2304;
constexpr double kLon = 121.4737;
constexpr double kMetresPerDegreeLat = kEarthRadiusM * 3.14159265358979323846 / 180;

Document Card(std::int64_t id, std::string title, std::string description = "",
              std::vector<std::string> tags = {}) {
  Document doc;
  doc.id = id;
  doc.community_id = kCommunity;
  doc.street_id = kStreet;
  doc.city_id = kCity;
  doc.visibility = "city";
  doc.kind = "goods";
  doc.rule = "free";
  doc.status = "available";
  doc.title = std::move(title);
  doc.description = std::move(description);
  doc.tags = std::move(tags);
  doc.updated_at = 1000 + id;
  return doc;
}

Query Text(std::string text) {
  Query query;
  query.text = std::move(text);
  query.viewer_community_id = kCommunity;
  query.viewer_street_id = kStreet;
  query.viewer_city_id = kCity;
  query.limit = 1000;
  return query;
}

std::vector<std::int64_t> Ids(const Results& results) {
  std::vector<std::int64_t> ids;
  for (const auto& hit : results.hits) ids.push_back(hit.id);
  return ids;
}

std::vector<std::int64_t> SortedIds(const Results& results) {
  auto ids = Ids(results);
  std::sort(ids.begin(), ids.end());
  return ids;
}

using Ids_ = std::vector<std::int64_t>;

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert(Card(1, "博世电钻出借", "九成新，可借一周"));
    index_.Upsert(Card(2, "地下车位出租", "3号楼下，月租"));
    index_.Upsert(Card(3, "家电维修上门", "空调、洗衣机维修"));
    index_.Upsert(Card(4, "雨伞共享", "下雨天随借随还"));
    index_.Upsert(Card(5, "WiFi路由器", "闲置 TP-Link"));
    index_.Upsert(Card(6, "3D打印机", "可打印小零件"));
  }
  Index index_;
};

TEST_F(IndexTest, TwoCharacterQueriesMatch) {
  EXPECT_EQ(SortedIds(index_.Search(Text("电钻"))), Ids_{1});
  EXPECT_EQ(SortedIds(index_.Search(Text("车位"))), Ids_{2});
  EXPECT_EQ(SortedIds(index_.Search(Text("维修"))), Ids_{3});
  EXPECT_EQ(SortedIds(index_.Search(Text("出租"))), Ids_{2});
}

TEST_F(IndexTest, OneCharacterQueriesMatch) {
  EXPECT_EQ(SortedIds(index_.Search(Text("伞"))), Ids_{4});
  EXPECT_EQ(SortedIds(index_.Search(Text("电"))), (Ids_{1, 3}));
  EXPECT_EQ(SortedIds(index_.Search(Text("借"))), (Ids_{1, 4}));  // description text too
}

TEST_F(IndexTest, TraditionalAndSimplifiedFindEachOther) {
  EXPECT_EQ(SortedIds(index_.Search(Text("雨傘"))), Ids_{4});
  EXPECT_EQ(SortedIds(index_.Search(Text("電鑽"))), Ids_{1});
  index_.Upsert(Card(7, "電鑽套裝"));
  EXPECT_EQ(SortedIds(index_.Search(Text("电钻"))), (Ids_{1, 7}));
  EXPECT_EQ(SortedIds(index_.Search(Text("套装"))), Ids_{7});
}

TEST_F(IndexTest, LongerQueriesAreExactSubstrings) {
  EXPECT_EQ(SortedIds(index_.Search(Text("电钻出借"))), Ids_{1});
  EXPECT_EQ(SortedIds(index_.Search(Text("博世电钻出借"))), Ids_{1});
  // Every bigram of 电钻出借 is here, but not the string itself: must not match.
  index_.Upsert(Card(8, "钻出 电钻 出借"));
  EXPECT_EQ(SortedIds(index_.Search(Text("电钻出借"))), Ids_{1});
  EXPECT_EQ(SortedIds(index_.Search(Text("电钻"))), (Ids_{1, 8}));
  // Nor across fields: the title ends with 出借, the description starts with 九成.
  EXPECT_TRUE(index_.Search(Text("出借九成")).hits.empty());
}

TEST_F(IndexTest, AsciiWordsMatchByPrefixAfterFolding) {
  EXPECT_EQ(SortedIds(index_.Search(Text("wifi"))), Ids_{5});
  EXPECT_EQ(SortedIds(index_.Search(Text("WIFI"))), Ids_{5});
  EXPECT_EQ(SortedIds(index_.Search(Text("ｗｉｆｉ"))), Ids_{5});
  EXPECT_EQ(SortedIds(index_.Search(Text("wi"))), Ids_{5});
  EXPECT_EQ(SortedIds(index_.Search(Text("3d"))), Ids_{6});
  EXPECT_EQ(SortedIds(index_.Search(Text("３Ｄ"))), Ids_{6});
  EXPECT_EQ(SortedIds(index_.Search(Text("tp link"))), Ids_{5});
  EXPECT_TRUE(index_.Search(Text("ifi")).hits.empty());  // words match from their start
  EXPECT_TRUE(index_.Search(Text("wifi6")).hits.empty());
}

TEST_F(IndexTest, AllTermsMustMatch) {
  EXPECT_EQ(SortedIds(index_.Search(Text("3D打印"))), Ids_{6});
  EXPECT_EQ(SortedIds(index_.Search(Text("路由器 wifi"))), Ids_{5});
  EXPECT_TRUE(index_.Search(Text("wifi 电钻")).hits.empty());
  EXPECT_TRUE(index_.Search(Text("电钻 轮椅")).hits.empty());
}

TEST_F(IndexTest, TextWithoutTermsMatchesEverything) {
  EXPECT_EQ(index_.Search(Text("")).total, 6);
  EXPECT_EQ(index_.Search(Text("！？")).total, 6);
}

TEST(IndexTagsTest, TagsAreTextAndExactFilters) {
  Index index;
  index.Upsert(Card(1, "王师傅", "", {"家电维修", "上门"}));
  index.Upsert(Card(2, "李师傅", "", {"家电维修"}));
  index.Upsert(Card(3, "赵阿姨", "", {"折扣家政", "capacity:20"}));
  EXPECT_EQ(SortedIds(index.Search(Text("维修"))), (Ids_{1, 2}));  // tag text is searchable
  Query query = Text("");
  query.tags = {"家电维修", "上门"};
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
  query.tags = {"家電維修"};  // folded like text
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2}));
  query.tags = {"维修"};  // exact, not a substring
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.tags = {"Capacity:20"};
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{3});
  query.tags = {"家电维修"};
  query.text = "王";
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
}

TEST(IndexFiltersTest, KindRuleAndStatus) {
  Index index;
  auto a = Card(1, "活动室");
  a.kind = "space";
  a.rule = "points";
  auto b = Card(2, "活动室");
  b.kind = "space";
  b.status = "maintenance";
  auto c = Card(3, "活动室");
  c.kind = "service";
  index.Upsert(a);
  index.Upsert(b);
  index.Upsert(c);
  Query query = Text("活动");
  query.kind = "space";
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2}));
  query.status = "available";
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
  query.status.reset();
  query.rule = "free";
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{2});
  query.kind = "goods";  // never seen by the index
  EXPECT_TRUE(index.Search(query).hits.empty());
}

TEST(IndexVisibilityTest, ScopesContainTheViewer) {
  Index index;
  auto own = Card(1, "活动室");
  own.visibility = "community";
  auto street = Card(2, "活动室");
  street.visibility = "street";
  street.community_id = 2;  // another community of the same street
  auto city = Card(3, "活动室");
  city.visibility = "city";
  city.community_id = 3;
  city.street_id = 11;
  auto other_street = Card(4, "活动室");
  other_street.visibility = "street";
  other_street.street_id = 11;
  auto no_scope = Card(5, "活动室");
  no_scope.visibility = "community";
  no_scope.community_id = 0;
  for (const auto& doc : {own, street, city, other_street, no_scope}) index.Upsert(doc);

  Query query = Text("活动室");
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2, 3}));
  query.viewer_community_id = 2;  // a neighbour community on the same street
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{2, 3}));
  query.viewer_street_id = 11;
  query.viewer_community_id = 9;
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{3, 4}));
  query.viewer_city_id = 200;  // another city
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{4});
  EXPECT_TRUE(index.Search(Query{}).hits.empty());  // a viewer with no place sees nothing
}

Document Located(std::int64_t id, double north_m, double east_m = 0) {
  auto doc = Card(id, "电钻");
  doc.lat = kLat + north_m / kMetresPerDegreeLat;
  doc.lon = kLon + east_m / (kMetresPerDegreeLat * std::cos(kLat * 3.14159265358979323846 / 180));
  return doc;
}

TEST(IndexGeoTest, RadiusOneVersusFiveKilometres) {
  Index index;
  index.Upsert(Located(1, 500));
  index.Upsert(Located(2, 0, -900));
  index.Upsert(Located(3, 3000));
  index.Upsert(Located(4, -2000, 2000));
  index.Upsert(Located(5, 8000));
  index.Upsert(Card(6, "电钻"));  // no location
  Query query = Text("电钻");
  query.lat = kLat;
  query.lon = kLon;
  query.radius_m = 1000;
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2}));
  query.radius_m = 5000;
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2, 3, 4}));
  query.text.clear();  // driven by the grid alone
  EXPECT_EQ(SortedIds(index.Search(query)), (Ids_{1, 2, 3, 4}));
  query.radius_m.reset();  // a point without radius: no filter, distances reported
  const auto all = index.Search(query);
  EXPECT_EQ(all.total, 6);
  for (const auto& hit : all.hits) EXPECT_EQ(hit.distance_m.has_value(), hit.id != 6);
  query.radius_m = 1000;
  query.sort = Sort::kDistance;
  const auto near = index.Search(query);
  ASSERT_EQ(near.hits.size(), 2U);
  EXPECT_EQ(near.hits[0].id, 1);
  EXPECT_NEAR(*near.hits[0].distance_m, 500, 1);
  EXPECT_NEAR(*near.hits[1].distance_m, 900, 1);
}

TEST(IndexGeoTest, InvalidGeometryMatchesNothing) {
  Index index;
  index.Upsert(Located(1, 100));
  Query query = Text("");
  query.lat = 91;
  query.lon = kLon;
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.lat = kLat;
  query.radius_m = -1;
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.radius_m = std::nan("");
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.lat.reset();
  query.radius_m = 1000;
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.lon.reset();  // a radius without a point
  EXPECT_TRUE(index.Search(query).hits.empty());
}

TEST(IndexGeoTest, MatchesBruteForceEverywhere) {
  // Random points over the globe, including the poles and the antimeridian.
  Index index;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  struct Point {
    double lat, lon;
  };
  std::vector<Point> points;
  const std::vector<Point> centres{{0, 0},        {89.995, 10},    {-89.99, -170},
                                   {10, 179.999}, {-45, -179.995}, {kLat, kLon}};
  for (int i = 0; i < 4000; ++i) {
    const Point centre = centres[i % centres.size()];
    double lat = std::clamp(centre.lat + (unit(rng) - 0.5) * 0.2, -90.0, 90.0);
    double lon = centre.lon + (unit(rng) - 0.5) * 0.6;
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    points.push_back({lat, lon});
    auto doc = Card(i + 1, "点");
    doc.lat = lat;
    doc.lon = lon;
    index.Upsert(doc);
  }
  for (int q = 0; q < 300; ++q) {
    const Point centre = centres[q % centres.size()];
    const double lat = std::clamp(centre.lat + (unit(rng) - 0.5) * 0.1, -90.0, 90.0);
    double lon = centre.lon + (unit(rng) - 0.5) * 0.3;
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    const double radius = std::pow(10.0, 1 + unit(rng) * 4);  // 10 m .. 100 km
    Query query = Text(q % 2 == 0 ? "点" : "");
    query.lat = lat;
    query.lon = lon;
    query.radius_m = radius;
    std::vector<std::int64_t> expected;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (HaversineM(lat, lon, points[i].lat, points[i].lon) <= radius) {
        expected.push_back(static_cast<std::int64_t>(i) + 1);
      }
    }
    query.limit = 10000;
    ASSERT_EQ(SortedIds(index.Search(query)), expected)
        << "lat " << lat << " lon " << lon << " radius " << radius;
  }
}

TEST(IndexSortTest, RelevancePrefersTitleAndRepeats) {
  Index index;
  index.Upsert(Card(1, "闲置物品", "有一把电钻"));
  index.Upsert(Card(2, "电钻出借", "博世"));
  index.Upsert(Card(3, "工具", "电钻，电钻配件"));
  const auto results = index.Search(Text("电钻"));
  ASSERT_EQ(results.hits.size(), 3U);
  EXPECT_EQ(results.hits[0].id, 2);
  EXPECT_EQ(results.hits[1].id, 3);
  EXPECT_EQ(results.hits[2].id, 1);
  EXPECT_GT(results.hits[0].score, results.hits[1].score);
  EXPECT_GT(results.hits[1].score, results.hits[2].score);
}

TEST(IndexSortTest, NewestPriceAndDistance) {
  Index index;
  auto a = Located(1, 3000);
  a.updated_at = 50;
  a.price_fen = 500;
  auto b = Located(2, 100);
  b.updated_at = 70;
  b.price_fen = 900;
  auto c = Card(3, "电钻");  // no location
  c.updated_at = 60;
  c.price_fen = 100;
  for (const auto& doc : {a, b, c}) index.Upsert(doc);
  Query query = Text("电钻");
  query.sort = Sort::kNewest;
  EXPECT_EQ(Ids(index.Search(query)), (Ids_{2, 3, 1}));
  query.sort = Sort::kPriceLow;
  EXPECT_EQ(Ids(index.Search(query)), (Ids_{3, 1, 2}));
  query.sort = Sort::kDistance;
  query.lat = kLat;
  query.lon = kLon;
  EXPECT_EQ(Ids(index.Search(query)), (Ids_{2, 1, 3}));  // unlocated last
  query.sort = Sort::kRelevance;
  query.text.clear();  // relevance without text: newest first
  EXPECT_EQ(Ids(index.Search(query)), (Ids_{2, 3, 1}));
}

TEST(IndexPagingTest, LimitOffsetAndTotal) {
  Index index;
  for (int i = 1; i <= 25; ++i) index.Upsert(Card(i, "雨伞"));
  Query query = Text("雨伞");
  query.sort = Sort::kNewest;
  query.limit = 10;
  query.offset = 20;
  const auto page = index.Search(query);
  EXPECT_EQ(page.total, 25);
  EXPECT_EQ(Ids(page), (Ids_{5, 4, 3, 2, 1}));
  query.offset = 30;
  EXPECT_TRUE(index.Search(query).hits.empty());
  EXPECT_EQ(index.Search(query).total, 25);
  query.offset = -5;
  query.limit = -1;
  EXPECT_TRUE(index.Search(query).hits.empty());
}

TEST(IndexUpdateTest, UpsertReplacesTheDocument) {
  Index index;
  index.Upsert(Located(1, 100));
  auto doc = Card(1, "折叠梯子", "", {"工具"});
  doc.kind = "space";
  doc.lat = kLat + 0.1;
  doc.lon = kLon;
  index.Upsert(doc);
  EXPECT_EQ(index.size(), 1U);
  EXPECT_TRUE(index.Search(Text("电钻")).hits.empty());
  EXPECT_EQ(SortedIds(index.Search(Text("梯子"))), Ids_{1});
  Query query = Text("梯子");
  query.kind = "goods";
  EXPECT_TRUE(index.Search(query).hits.empty());
  query.kind = "space";
  query.lat = kLat;
  query.lon = kLon;
  query.radius_m = 1000;
  EXPECT_TRUE(index.Search(query).hits.empty());  // moved 11 km north
  query.lat = kLat + 0.1;
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
  // Same text, other attributes: only the slot record changes.
  doc.status = "reserved";
  index.Upsert(doc);
  query.status = "reserved";
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
  // Same words, title moved to description: the ranking flags follow.
  doc.title = "工具";
  doc.description = "折叠梯子";
  index.Upsert(doc);
  EXPECT_EQ(SortedIds(index.Search(query)), Ids_{1});
}

TEST(IndexUpdateTest, RemoveAndReuse) {
  Index index;
  index.Upsert(Located(1, 100));
  index.Upsert(Card(2, "雨伞"));
  index.Remove(1);
  index.Remove(42);  // unknown: nothing happens
  EXPECT_EQ(index.size(), 1U);
  EXPECT_TRUE(index.Search(Text("电钻")).hits.empty());
  Query near = Text("");
  near.lat = kLat;
  near.lon = kLon;
  near.radius_m = 1000;
  EXPECT_TRUE(index.Search(near).hits.empty());
  index.Upsert(Card(3, "轮椅"));  // takes the freed slot
  EXPECT_EQ(SortedIds(index.Search(Text("轮椅"))), Ids_{3});
  EXPECT_EQ(SortedIds(index.Search(Text(""))), (Ids_{2, 3}));
  index.Clear();
  EXPECT_EQ(index.size(), 0U);
  EXPECT_TRUE(index.Search(Text("")).hits.empty());
  index.Upsert(Card(4, "轮椅"));
  EXPECT_EQ(SortedIds(index.Search(Text("轮椅"))), Ids_{4});
}

TEST(IndexMemoryTest, ReportsBytesThatGrowWithCards) {
  Index index;
  const std::size_t empty = index.MemoryBytes();
  for (int i = 1; i <= 1000; ++i) index.Upsert(Card(i, "家电维修" + std::to_string(i), "上门服务"));
  const std::size_t full = index.MemoryBytes();
  EXPECT_GT(full, empty + 1000 * 64);
  EXPECT_LT(full / 1000, 1024U);
  for (int i = 1; i <= 1000; ++i) index.Remove(i);
  EXPECT_LT(index.MemoryBytes(), full);
}

TEST(IndexConcurrencyTest, ReadersRunBesideWriters) {
  Index index;
  for (int i = 1; i <= 200; ++i) index.Upsert(Card(i, "电钻出借"));
  std::atomic<bool> stop{false};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        const auto results = index.Search(Text("电钻出借"));
        EXPECT_GE(results.total, 100);  // writers only touch ids above 100
        ++searches;
      }
    });
  }
  while (searches.load() < 3) std::this_thread::yield();  // readers are running
  for (int round = 0; round < 200; ++round) {
    const int id = 101 + round % 100;
    if (round % 2 == 0) {
      index.Remove(id);
    } else {
      index.Upsert(Card(id, "电钻出借"));
    }
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_GE(searches.load(), 3);
}

}  // namespace
}  // namespace linli::search
