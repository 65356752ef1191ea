// Arbitrary bytes through the resource market's tokenizer and index: folding, query parsing and
// search must not crash, and a card must always be found by its own title and tag.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "search/index.hpp"
#include "search/tokenizer.hpp"

namespace {

constexpr std::int64_t kCity = 1;
constexpr std::int64_t kSelfId = 1'000'000;

linli::search::Document Card(std::int64_t id, std::string title, double lat, double lon) {
  linli::search::Document doc;
  doc.id = id;
  doc.city_id = kCity;
  doc.visibility = "city";
  doc.kind = id % 2 == 0 ? "goods" : "service";
  doc.rule = "free";
  doc.status = "available";
  doc.title = std::move(title);
  doc.description = "九成新，可借一周。WiFi 3D打印";
  doc.tags = {"家电维修", "capacity:20"};
  doc.lat = lat;
  doc.lon = lon;
  doc.updated_at = id;
  return doc;
}

linli::search::Index& TheIndex() {
  static linli::search::Index* index = [] {
    auto* built = new linli::search::Index();  // lives for the whole run, like the server's
    const char* titles[] = {"博世电钻出借", "地下车位出租", "家电维修上门", "雨傘共享",
                            "ＷｉＦｉ路由器"};
    for (int i = 0; i < 5; ++i) built->Upsert(Card(i + 1, titles[i], 31.23 + i * 0.01, 121.47));
    return built;
  }();
  return *index;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace linli::search;
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)FoldText(input);
  (void)FoldCompact(input, limits::kFieldCharsMax);
  (void)Tokenize(input);
  (void)ParseQueryText(input);

  Index& index = TheIndex();
  // The first bytes also pick filters, so odd combinations are searched too.
  const std::uint8_t b0 = size > 0 ? data[0] : 0;
  const std::uint8_t b1 = size > 1 ? data[1] : 0;
  Query query;
  query.text = input;
  query.viewer_city_id = kCity;
  query.sort = static_cast<Sort>(b0 % 4);
  if (b0 & 0x10) query.kind = "goods";
  if (b0 & 0x20) query.tags = {input.substr(0, 8)};
  if (b0 & 0x40) {
    query.lat = 31.23 + (b1 - 128) * 0.001;
    query.lon = 121.47;
    query.radius_m = b1 * 100.0;
  }
  query.limit = b1 % 50;
  query.offset = b0 % 3;
  (void)index.Search(query);

  auto self_card = Card(kSelfId, input, 31.23, 121.47);
  self_card.tags.push_back(input);
  index.Upsert(self_card);
  const auto finds_self = [&](const Query& q) {
    for (const auto& hit : index.Search(q).hits) {
      if (hit.id == kSelfId) return true;
    }
    return false;
  };
  Query self;
  self.text = input;
  self.viewer_city_id = kCity;
  self.limit = 1000;
  if (!finds_self(self)) std::abort();  // a card's own title is always a match
  self.text.clear();
  self.tags = {input};
  if (!FoldText(input, limits::kTagCharsMax).empty() && !finds_self(self)) std::abort();
  index.Remove(kSelfId);
  return 0;
}
