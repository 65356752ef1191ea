// The resource market's in-memory search index (issue #3).
//
// Generates synthetic resource cards — realistic Chinese titles, descriptions and tags of the
// four kinds (家电维修, 折扣家政, 社区课堂, 电钻, 车位, 雨伞, ...; a few written in traditional
// characters), spread uniformly within 10 km of People's Square, Shanghai, with community /
// street / city visibility — builds the index and prints, per size:
//   - search latency p50/p99 of 2-character Chinese queries with a kind filter and a 1 km
//     radius around a resident's home, single thread (target p99 ≤ 1 ms at 1M cards);
//   - index bytes per card: MemoryBytes()/size(), and what malloc really holds (target ≤ 1 KiB);
//   - recall and precision against a plain substring scan over the folded text, for query
//     lengths 1–4 (must be 1.0).
// A plain driver rather than Google Benchmark: the figures are distributions over many
// different queries on one large index, which Benchmark's repeated-loop model does not fit.
//
//   linli_search_bench [--cards 100000,1000000] [--queries 2000] [--recall-queries 40]
//                      [--seed 1] [--sentences 5]
// --sentences: the most sentences of a description (2..N, about 8 characters each); index bytes
// per card grow by about 8 per character of distinct text.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <malloc.h>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <time.h>
#include <vector>

#include "search/index.hpp"
#include "search/tokenizer.hpp"
#include "search/utf8.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using linli::search::Document;
using linli::search::Index;
using linli::search::Query;

constexpr double kCentreLat = 31.2304;  // People's Square
constexpr double kCentreLon = 121.4737;
constexpr double kAreaRadiusM = 10'000;
constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180;
constexpr std::int64_t kCityId = 310000;
constexpr double kStreetCellM = 2'000;     // streets tile the area in 2 km squares,
constexpr double kCommunityCellM = 500;    // communities in 500 m squares
constexpr double kLatencyRadiusM = 1'000;  // the figure: 1 km around home
constexpr double kTargetP99Us = 1'000;
constexpr double kTargetBytesPerCard = 1'024;

struct Options {
  std::vector<std::size_t> cards{100'000, 1'000'000};
  int queries = 2000;
  int recall_queries = 40;  // per query length
  int sentences_max = 5;    // per description
  std::uint64_t seed = 1;
};

[[noreturn]] void Usage(const char* message) {
  std::fprintf(stderr,
               "linli_search_bench: %s\nusage: linli_search_bench [--cards N[,N...]] "
               "[--queries Q] [--recall-queries R] [--seed S] [--sentences N]\n",
               message);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Usage("missing value");
      return argv[++i];
    };
    if (arg == "--cards") {
      options.cards.clear();
      std::string list = next();
      for (std::size_t pos = 0; pos <= list.size();) {
        const std::size_t comma = std::min(list.find(',', pos), list.size());
        options.cards.push_back(std::strtoull(list.substr(pos, comma - pos).c_str(), nullptr, 10));
        pos = comma + 1;
      }
    } else if (arg == "--queries") {
      options.queries = std::atoi(next().c_str());
    } else if (arg == "--sentences") {
      options.sentences_max = std::max(2, std::atoi(next().c_str()));
    } else if (arg == "--recall-queries") {
      options.recall_queries = std::atoi(next().c_str());
    } else if (arg == "--seed") {
      options.seed = std::strtoull(next().c_str(), nullptr, 10);
    } else {
      Usage("unknown argument");
    }
  }
  for (const std::size_t n : options.cards) {
    if (n == 0) Usage("--cards must be positive");
  }
  return options;
}

// --- synthetic cards -------------------------------------------------------------------------

struct KindVocabulary {
  const char* kind;
  std::vector<const char*> titles;
  std::vector<const char*> prefixes;
  std::vector<const char*> suffixes;
  std::vector<const char*> tags;
};

const std::vector<KindVocabulary>& Vocabulary() {
  static const std::vector<KindVocabulary> vocabulary{
      {"space",
       {"社区活动室", "多功能厅", "共享会议室", "地下车位", "露天车位", "社区课堂教室",
        "党群服务中心", "屋顶花园", "儿童游戏室", "乒乓球室", "共享厨房", "自习室", "車位",
        "舞蹈排练厅", "老年活动中心"},
       {"", "", "幸福里", "梅园新村", "3号楼", "阳光苑", "和平小区", "静安"},
       {"", "", "开放", "免费开放", "预约使用", "出租", "共享"},
       {"车位", "社区课堂", "capacity:20", "capacity:50", "开放时间:周末", "空调", "投影仪",
        "无障碍"}},
      {"service",
       {"家电维修", "上门水电维修", "折扣家政", "家政保洁", "空调清洗", "理发", "修自行车",
        "电脑维修", "开锁换锁", "育儿嫂", "陪诊服务", "代买代送", "家電維修", "管道疏通",
        "手机贴膜"},
       {"", "", "王师傅", "李阿姨", "专业", "社区", "老张"},
       {"", "", "上门", "八折", "优惠", "随叫随到", "周末可约"},
       {"家电维修", "折扣家政", "持证上岗", "上门服务", "电工证", "健康证", "wifi"}},
      {"goods",
       {"电钻", "雨伞", "折叠梯子", "帐篷", "婴儿推车", "轮椅", "投影仪", "WiFi路由器", "3D打印机",
        "缝纫机", "充电宝", "露营灯", "工具箱", "儿童绘本", "電鑽", "雨傘", "血压计", "电动螺丝刀"},
       {"", "", "博世", "九成新", "闲置", "全新", "大号", "小米"},
       {"", "", "出借", "共享", "免费借用", "低价转让", "租借"},
       {"电钻", "雨伞", "工具", "condition:九成新", "quantity:2", "可消毒", "母婴"}},
      {"manpower",
       {"志愿者服务队", "社区课堂老师", "助老送餐志愿者", "陪诊志愿者", "夜间巡逻队", "环保小组",
        "书法老师", "编程兴趣班", "心理咨询志愿者", "法律援助律师"},
       {"", "", "退休教师", "大学生", "社区", "热心居民"},
       {"", "", "招募中", "每周六", "长期", "公益"},
       {"社区课堂", "team:10", "志愿服务", "助老", "skills:急救", "普法"}},
  };
  return vocabulary;
}

const std::vector<const char*> kSentences{
    "位于小区东门附近",   "周末可用",         "可上门服务",       "需提前一天预约",
    "联系物业前台登记",   "适合老人和儿童",   "九成新，功能完好", "借用期限一周",
    "使用后请归还原处",   "积分可兑换",       "仅限本社区居民",   "早八点到晚八点",
    "自带工具和配件",     "押金可退",         "价格实惠",         "有十年经验",
    "持证上岗，安全放心", "欢迎邻居们来咨询", "下雨天随借随还",   "可容纳二十人",
    "配有投影和音响",     "每月第一个周六",   "支持微信联系",     "电梯房，方便进出",
    "停车方便",           "免费提供茶水",     "需要自己清洁",     "家電維修經驗豐富",
    "雨天借傘很方便"};

struct Generated {
  std::vector<Document> docs;
  std::vector<std::string> folded;  // per card: folded title, description, tags joined by '\n'
};

std::int64_t StreetOf(double north_m, double east_m) {
  const auto cells = static_cast<std::int64_t>(2 * kAreaRadiusM / kStreetCellM) + 1;
  return 1 + static_cast<std::int64_t>((north_m + kAreaRadiusM) / kStreetCellM) * cells +
         static_cast<std::int64_t>((east_m + kAreaRadiusM) / kStreetCellM);
}

std::int64_t CommunityOf(double north_m, double east_m) {
  const auto cells = static_cast<std::int64_t>(2 * kAreaRadiusM / kCommunityCellM) + 1;
  return 1 + static_cast<std::int64_t>((north_m + kAreaRadiusM) / kCommunityCellM) * cells +
         static_cast<std::int64_t>((east_m + kAreaRadiusM) / kCommunityCellM);
}

double LatOf(double north_m) {
  return kCentreLat + north_m / kMetresPerDegree;
}
double LonOf(double east_m) {
  return kCentreLon + east_m / (kMetresPerDegree * std::cos(kCentreLat * std::numbers::pi / 180));
}

template <class Rng>
const char* Pick(Rng& rng, const std::vector<const char*>& items) {
  return items[rng() % items.size()];
}

// A point uniform in the disk of radius `radius_m` around the centre.
template <class Rng>
std::pair<double, double> RandomOffset(Rng& rng, double radius_m) {
  std::uniform_real_distribution<double> unit(0, 1);
  const double r = radius_m * std::sqrt(unit(rng));
  const double theta = 2 * std::numbers::pi * unit(rng);
  return {r * std::cos(theta), r * std::sin(theta)};
}

Generated Generate(std::size_t n, std::uint64_t seed, int sentences_max) {
  std::mt19937_64 rng(seed);
  const auto& vocabulary = Vocabulary();
  const std::vector<const char*> rules{"free", "free", "price", "points", "exchange", "deposit"};
  const std::vector<const char*> statuses{"available", "available", "available",  "available",
                                          "reserved",  "in_use",    "maintenance"};
  Generated out;
  out.docs.reserve(n);
  out.folded.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& kind = vocabulary[rng() % vocabulary.size()];
    Document doc;
    doc.id = static_cast<std::int64_t>(i) + 1;
    doc.kind = kind.kind;
    doc.title =
        std::string(Pick(rng, kind.prefixes)) + Pick(rng, kind.titles) + Pick(rng, kind.suffixes);
    const int sentences = 2 + static_cast<int>(rng() % (sentences_max - 1));
    for (int s = 0; s < sentences; ++s) {
      if (s > 0) doc.description += rng() % 3 == 0 ? "。" : "，";
      doc.description += Pick(rng, kSentences);
    }
    doc.description += "。";
    if (rng() % 4 == 0) doc.description += std::to_string(1 + rng() % 30) + "号楼";
    const int tags = 1 + static_cast<int>(rng() % 3);
    for (int t = 0; t < tags; ++t) {
      std::string tag = Pick(rng, kind.tags);
      if (std::find(doc.tags.begin(), doc.tags.end(), tag) == doc.tags.end())
        doc.tags.push_back(tag);
    }
    doc.rule = Pick(rng, rules);
    doc.status = Pick(rng, statuses);
    doc.price_fen = doc.rule == std::string("price") ? static_cast<std::int64_t>(rng() % 20000) : 0;
    const auto [north_m, east_m] = RandomOffset(rng, kAreaRadiusM);
    doc.lat = LatOf(north_m);
    doc.lon = LonOf(east_m);
    doc.city_id = kCityId;
    doc.street_id = StreetOf(north_m, east_m);
    doc.community_id = CommunityOf(north_m, east_m);
    const auto visibility = rng() % 10;
    doc.visibility = visibility < 6 ? "community" : visibility < 9 ? "street" : "city";
    doc.updated_at = 1'700'000'000 + static_cast<std::int64_t>(rng() % 10'000'000);

    std::string folded =
        linli::search::FoldText(doc.title) + '\n' + linli::search::FoldText(doc.description);
    for (const auto& tag : doc.tags) folded += '\n' + linli::search::FoldText(tag);
    out.folded.push_back(std::move(folded));
    out.docs.push_back(std::move(doc));
  }
  return out;
}

// --- measurements ----------------------------------------------------------------------------

struct Viewer {
  std::int64_t community = 0;
  std::int64_t street = 0;
  double lat = 0;
  double lon = 0;
};

template <class Rng>
Viewer RandomViewer(Rng& rng) {
  const auto [north_m, east_m] = RandomOffset(rng, kAreaRadiusM * 0.9);
  return {CommunityOf(north_m, east_m), StreetOf(north_m, east_m), LatOf(north_m), LonOf(east_m)};
}

bool Visible(const Document& doc, const Viewer& viewer) {
  if (doc.visibility == "community") return doc.community_id == viewer.community;
  if (doc.visibility == "street") return doc.street_id == viewer.street;
  return doc.city_id == kCityId;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
  return values[std::min(at, values.size() - 1)];
}

struct LatencyFigures {
  double p50_us = 0, p99_us = 0, max_us = 0;  // wall clock
  double cpu_p50_us = 0, cpu_p99_us = 0;      // the thread's CPU time
  double mean_total = 0;
};

// CPU time of the calling thread: unlike the wall clock it does not count time the scheduler
// gave to other processes, which on a shared 2-core machine dominates the wall-clock tail.
double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// 2-character queries, each with the kind it belongs to, as a resident types them.
const std::vector<std::pair<const char*, const char*>> kTwoCharQueries{
    {"电钻", "goods"},   {"雨伞", "goods"},    {"车位", "space"},   {"维修", "service"},
    {"家政", "service"}, {"课堂", "space"},    {"帐篷", "goods"},   {"轮椅", "goods"},
    {"保洁", "service"}, {"志愿", "manpower"}, {"会议", "space"},   {"理发", "service"},
    {"梯子", "goods"},   {"老师", "manpower"}, {"上门", "service"}, {"雨傘", "goods"}};

LatencyFigures MeasureLatency(const Index& index, int queries, std::uint64_t seed,
                              std::optional<double> radius_m, bool with_kind) {
  std::mt19937_64 rng(seed);
  std::vector<double> micros;
  std::vector<double> cpu_micros;
  micros.reserve(static_cast<std::size_t>(queries));
  cpu_micros.reserve(static_cast<std::size_t>(queries));
  double totals = 0;
  for (int i = 0; i < queries; ++i) {
    const auto& [text, kind] = kTwoCharQueries[rng() % kTwoCharQueries.size()];
    const Viewer viewer = RandomViewer(rng);
    Query query;
    query.text = text;
    if (with_kind) query.kind = kind;
    query.viewer_community_id = viewer.community;
    query.viewer_street_id = viewer.street;
    query.viewer_city_id = kCityId;
    query.lat = viewer.lat;
    query.lon = viewer.lon;
    query.radius_m = radius_m;
    query.limit = 20;
    const double cpu_start = ThreadCpuMicros();
    const auto start = Clock::now();
    const auto results = index.Search(query);
    const auto elapsed = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    cpu_micros.push_back(ThreadCpuMicros() - cpu_start);
    micros.push_back(elapsed);
    totals += static_cast<double>(results.total);
  }
  LatencyFigures figures;
  figures.p50_us = Percentile(micros, 0.50);
  figures.p99_us = Percentile(micros, 0.99);
  figures.max_us = *std::max_element(micros.begin(), micros.end());
  figures.cpu_p50_us = Percentile(cpu_micros, 0.50);
  figures.cpu_p99_us = Percentile(cpu_micros, 0.99);
  figures.mean_total = totals / queries;
  return figures;
}

struct RecallFigures {
  int queries = 0;
  int queries_with_hits = 0;
  std::int64_t expected = 0;  // hits of the substring scan
  std::int64_t returned = 0;  // hits of the index
  std::int64_t common = 0;
  double recall() const { return expected == 0 ? 1.0 : static_cast<double>(common) / expected; }
  double precision() const { return returned == 0 ? 1.0 : static_cast<double>(common) / returned; }
};

// A CJK character (not punctuation, not ASCII): the queries whose definition is "substring".
bool IsGram(char32_t cp) {
  char32_t scratch = 0;
  const auto folded = linli::search::FoldCodePoint(cp, scratch);
  return cp >= 0x80 && folded.size() == 1 &&
         linli::search::ClassOf(folded[0]) == linli::search::CharClass::kGram;
}

// A query of `length` gram characters: half cut from a random card (so it hits), half made of
// random characters of the cards' alphabet (so most miss, which must be right too).
template <class Rng>
std::string RecallQuery(Rng& rng, const Generated& data, std::size_t length,
                        const std::vector<std::string>& alphabet) {
  if (rng() % 2 == 0) {
    std::string query;
    for (std::size_t i = 0; i < length; ++i) query += alphabet[rng() % alphabet.size()];
    return query;
  }
  for (;;) {
    const Document& doc = data.docs[rng() % data.docs.size()];
    const std::string& source = rng() % 2 == 0 ? doc.title : doc.description;
    std::vector<std::pair<std::size_t, std::size_t>> chars;  // byte ranges of CJK characters
    for (std::size_t pos = 0; pos < source.size();) {
      const std::size_t at = pos;
      chars.emplace_back(IsGram(linli::search::utf8::Next(source, pos)) ? at : std::string::npos,
                         pos);
    }
    if (chars.size() < length) continue;
    const std::size_t start = rng() % (chars.size() - length + 1);
    bool all_cjk = true;
    for (std::size_t i = start; i < start + length; ++i)
      all_cjk &= chars[i].first != std::string::npos;
    if (!all_cjk) continue;
    return source.substr(chars[start].first, chars[start + length - 1].second - chars[start].first);
  }
}

RecallFigures MeasureRecall(const Index& index, const Generated& data, std::size_t length,
                            int queries, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> alphabet;  // the distinct CJK characters of a sample of cards
  for (std::size_t i = 0; i < std::min<std::size_t>(data.docs.size(), 2000); ++i) {
    const std::string& text = data.docs[i].title + data.docs[i].description;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t at = pos;
      if (IsGram(linli::search::utf8::Next(text, pos)))
        alphabet.push_back(text.substr(at, pos - at));
    }
  }
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());

  RecallFigures figures;
  for (int q = 0; q < queries; ++q) {
    const std::string text = RecallQuery(rng, data, length, alphabet);
    const Viewer viewer = RandomViewer(rng);
    Query query;
    query.text = text;
    query.viewer_community_id = viewer.community;
    query.viewer_street_id = viewer.street;
    query.viewer_city_id = kCityId;
    query.limit = 1 << 30;
    const auto results = index.Search(query);
    std::vector<std::int64_t> got;
    for (const auto& hit : results.hits) got.push_back(hit.id);
    std::sort(got.begin(), got.end());

    // The reference: a plain substring scan of every visible card's folded text.
    const std::string needle = linli::search::FoldText(text);
    std::vector<std::int64_t> expected;
    for (std::size_t i = 0; i < data.docs.size(); ++i) {
      if (Visible(data.docs[i], viewer) && data.folded[i].find(needle) != std::string::npos) {
        expected.push_back(data.docs[i].id);
      }
    }
    std::vector<std::int64_t> common;
    std::set_intersection(got.begin(), got.end(), expected.begin(), expected.end(),
                          std::back_inserter(common));
    ++figures.queries;
    figures.queries_with_hits += expected.empty() ? 0 : 1;
    figures.expected += static_cast<std::int64_t>(expected.size());
    figures.returned += static_cast<std::int64_t>(got.size());
    figures.common += static_cast<std::int64_t>(common.size());
  }
  return figures;
}

// Bytes malloc has handed out: small chunks from the arena plus large ones (vectors of the slot
// table, bitmaps) that glibc serves with mmap.
std::size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

const char* Verdict(bool ok) {
  return ok ? "ok" : "BELOW target";
}

void Run(std::size_t cards, const Options& options) {
  std::printf("\n== search index: %zu cards (seed %llu) ==\n", cards,
              static_cast<unsigned long long>(options.seed));
  std::fflush(stdout);
  const auto generate_start = Clock::now();
  const Generated data = Generate(cards, options.seed, options.sentences_max);
  const double generate_s = std::chrono::duration<double>(Clock::now() - generate_start).count();

  const std::size_t heap_before = HeapInUse();
  Index index;
  const auto build_start = Clock::now();
  for (const auto& doc : data.docs) index.Upsert(doc);
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const std::size_t heap_after = HeapInUse();
  const double bytes_per_card =
      static_cast<double>(index.MemoryBytes()) / static_cast<double>(index.size());
  const double malloc_per_card =
      static_cast<double>(heap_after - heap_before) / static_cast<double>(index.size());

  std::printf("generate                : %.1f s\n", generate_s);
  std::printf("build (Upsert each)     : %.1f s, %.0f cards/s\n", build_s,
              static_cast<double>(cards) / build_s);
  std::printf(
      "index bytes per card    : %.0f B  (MemoryBytes()/size(); malloc-measured %.0f B)"
      "  target <= %.0f  %s\n",
      bytes_per_card, malloc_per_card, kTargetBytesPerCard,
      Verdict(bytes_per_card <= kTargetBytesPerCard && malloc_per_card <= kTargetBytesPerCard));

  (void)MeasureLatency(index, std::min(options.queries, 200), options.seed + 1, kLatencyRadiusM,
                       true);  // warm-up
  const auto main = MeasureLatency(index, options.queries, options.seed + 2, kLatencyRadiusM, true);
  std::printf("latency 2-char + kind + 1 km radius, 1 thread, %d queries:\n", options.queries);
  std::printf(
      "  wall clock            : p50 %.1f us  p99 %.1f us  max %.1f us  (mean total %.1f)\n",
      main.p50_us, main.p99_us, main.max_us, main.mean_total);
  std::printf("  thread CPU time       : p50 %.1f us  p99 %.1f us  target p99 <= %.0f us  %s\n",
              main.cpu_p50_us, main.cpu_p99_us, kTargetP99Us,
              Verdict(main.cpu_p99_us <= kTargetP99Us));
  const auto wide = MeasureLatency(index, options.queries, options.seed + 3, 5'000.0, true);
  std::printf(
      "  (5 km radius          : wall p50 %.1f p99 %.1f us, CPU p50 %.1f p99 %.1f us, "
      "mean total %.1f)\n",
      wide.p50_us, wide.p99_us, wide.cpu_p50_us, wide.cpu_p99_us, wide.mean_total);
  const auto city = MeasureLatency(index, options.queries, options.seed + 4, std::nullopt, true);
  std::printf(
      "  (no radius, city-wide : wall p50 %.1f p99 %.1f us, CPU p50 %.1f p99 %.1f us, "
      "mean total %.1f)\n",
      city.p50_us, city.p99_us, city.cpu_p50_us, city.cpu_p99_us, city.mean_total);
  std::fflush(stdout);

  bool recall_ok = true;
  for (std::size_t length = 1; length <= 4; ++length) {
    const auto figures =
        MeasureRecall(index, data, length, options.recall_queries, options.seed + 10 + length);
    recall_ok =
        recall_ok && figures.common == figures.expected && figures.common == figures.returned;
    std::printf(
        "recall vs substring scan, %zu-char queries: recall %.6f  precision %.6f  "
        "(%d queries, %d with hits, %lld expected hits)\n",
        length, figures.recall(), figures.precision(), figures.queries, figures.queries_with_hits,
        static_cast<long long>(figures.expected));
    std::fflush(stdout);
  }
  std::printf("recall target 1.0 for every length: %s\n", Verdict(recall_ok));
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  for (const std::size_t cards : options.cards) Run(cards, options);
  return 0;
}
