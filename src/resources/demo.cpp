#include "resources/demo.hpp"

#include <array>

#include <fmt/format.h>

namespace linli::resources {
namespace {

// splitmix64: a deterministic spread of small integers, so the demo is the same on every run.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double Unit(std::uint64_t seed) {  // [0, 1)
  return static_cast<double>(Mix(seed) >> 11) / static_cast<double>(1ull << 53);
}

template <class T, std::size_t N>
const T& Pick(const std::array<T, N>& items, std::uint64_t seed) {
  return items[Mix(seed) % N];
}

constexpr std::array<std::string_view, 23> kRepairNames{
    "张建国", "李卫东", "王志强", "刘德明", "陈海涛", "杨国庆", "赵永刚", "黄建华",
    "周立新", "吴宏伟", "徐春生", "孙长林", "马金宝", "朱红军", "胡志明", "郭振华",
    "何文斌", "高建平", "林国栋", "罗永康", "梁世杰", "宋大勇", "郑少华"};
constexpr std::array<std::string_view, 15> kHousekeepingShops{
    "好帮手家政", "阿姨来了家政", "洁美家政", "安心家政", "邻家保洁",
    "红梅家政",   "惠民家政",     "巧手家政", "佳洁家政", "海燕家政",
    "顺心保洁",   "乐家家政",     "金牌月嫂", "暖阳家政", "康馨家政"};
constexpr std::array<std::string_view, 6> kAppliances{"空调", "冰箱",   "洗衣机",
                                                      "电视", "热水器", "微波炉"};

struct GoodsTemplate {
  std::string_view title;
  std::string_view description;
  std::string_view tag;
  int copies;
};
// Shared tools and idle items; `copies` cards of each, from different neighbours.
constexpr std::array<GoodsTemplate, 20> kGoods{{
    {"冲击电钻", "家用冲击电钻，带全套钻头，可打墙孔、装挂件。", "电钻", 12},
    {"爱心雨伞", "放在楼道爱心伞架，雨天自取，用后请归还。", "雨伞", 16},
    {"便携投影仪", "1080P 投影仪，适合业主大会、社区观影，附幕布。", "投影仪", 5},
    {"闲置平板电脑", "10 寸平板，已装好常用软件，可借给老人学用智能手机。", "平板电脑", 7},
    {"铝合金折叠梯", "2 米人字梯，换灯泡、擦高处玻璃都方便。", "梯子", 7},
    {"家用工具箱", "螺丝刀、扳手、钳子、卷尺一应俱全。", "工具箱", 9},
    {"家用缝纫机", "脚踏缝纫机，可改裤脚、缝补衣物。", "缝纫机", 4},
    {"婴儿推车", "可折叠婴儿车，九成新，孩子大了闲置。", "婴儿车", 6},
    {"手动轮椅", "折叠轮椅，术后康复、老人出行临时借用。", "轮椅", 5},
    {"露营帐篷", "三到四人帐篷，周末带孩子露营用。", "帐篷", 5},
    {"电动打气筒", "自行车、电动车、篮球都能打气。", "打气筒", 7},
    {"电子血压计", "上臂式电子血压计，家里老人量血压用。", "血压计", 6},
    {"大容量电饭煲", "5 升电饭煲，家里来客人或社区聚餐可借。", "电饭煲", 4},
    {"儿童绘本一箱", "3-6 岁儿童绘本三十余本，可整箱借阅。", "儿童绘本", 9},
    {"羽毛球拍一对", "含一筒羽毛球，楼下空地打球用。", "羽毛球拍", 6},
    {"折叠桌椅套装", "一桌四椅，社区活动、家庭聚会可借。", "折叠桌椅", 5},
    {"蓝牙音箱", "户外蓝牙音箱，广场舞、社区活动用。", "音箱", 4},
    {"高压洗车机", "家用高压洗车机，带泡沫壶。", "洗车机", 3},
    {"行李箱", "28 寸拉杆箱，出远门临时借用。", "行李箱", 5},
    {"电熨斗", "蒸汽挂烫两用，面试、演出前熨衣服。", "熨斗", 4},
}};

struct ServiceTemplate {
  std::string_view title;
  std::string_view skill;
  std::string_view description;
  std::string_view tag;
};
constexpr std::array<ServiceTemplate, 14> kServices{{
    {"上门理发（行动不便老人优先）", "理发", "退休理发师，可上门为老人理发。", "上门理发"},
    {"老年照护陪诊", "老年照护", "有护理经验，可陪老人就医、取药。", "老年照护"},
    {"儿童临时托管（适合3-6岁）", "儿童托管", "周三下午可托管 3 小时，需家长陪同交接。",
     "儿童托管"},
    {"小学英语辅导", "英语辅导", "英语专业在读研究生，周末辅导小学英语。", "作业辅导"},
    {"钢琴陪练", "钢琴", "十级证书，可陪练考级曲目。", "钢琴"},
    {"自行车修理", "自行车修理", "补胎、调刹车、换链条，工具齐全。", "自行车修理"},
    {"裁缝改衣", "裁缝", "改裤脚、换拉链、修补衣物。", "改衣"},
    {"书法入门教学", "书法", "退休语文老师，教孩子和老人写毛笔字。", "书法"},
    {"法律咨询（公益）", "法律咨询", "执业律师，每月一次公益法律咨询。", "法律咨询"},
    {"家庭收纳整理", "收纳整理", "帮忙整理衣柜、厨房，断舍离建议。", "收纳"},
    {"宠物临时寄养", "宠物照看", "出差期间可代喂猫狗。", "宠物"},
    {"电脑手机故障排查", "电脑维修", "重装系统、清理病毒、手机设置。", "电脑维修"},
    {"管道疏通", "水电维修", "下水道、马桶疏通，水龙头更换。", "水电维修"},
    {"家常菜烹饪教学", "烹饪", "教年轻人做几道家常菜。", "烹饪"},
}};

constexpr std::array<std::string_view, 12> kVolunteerTitles{
    "陪伴独居老人聊天", "周末儿童作业辅导", "社区清洁志愿队",   "助老代买代办",
    "垃圾分类督导",     "防疫与健康宣传",   "社区活动布置搭建", "夜间巡逻志愿队",
    "图书室值班",       "义务献血宣传",     "关爱残障人士",     "社区文艺演出"};

struct SpaceTemplate {
  std::string_view title;
  std::string_view open_hours;
  std::int64_t capacity;
  OwnerType owner;
};
constexpr std::array<SpaceTemplate, 8> kClassroomSpaces{{
    {"社区活动室（免费用于社区课堂）", "每天 9:00-21:00", 40, OwnerType::kCommunity},
    {"党群服务中心多功能厅", "工作日 9:00-17:00，周末需预约", 80, OwnerType::kCommunity},
    {"老年活动中心教室", "周一至周六 8:30-17:30", 30, OwnerType::kCommunity},
    {"社区图书室", "每天 10:00-20:00", 20, OwnerType::kCommunity},
    {"社区书画室", "周二、周四、周六全天", 16, OwnerType::kCommunity},
    {"3号楼架空层", "每天 7:00-21:00", 50, OwnerType::kProperty},
    {"物业会议室", "工作日 18:00-21:00，周末全天", 24, OwnerType::kProperty},
    {"会所瑜伽室", "周末 9:00-18:00", 15, OwnerType::kProperty},
}};

class PoolBuilder {
 public:
  explicit PoolBuilder(const DemoCommunity& demo) : demo_(demo) {}

  void Add(std::string ref, std::int64_t owner, CardContent content) {
    const int n = static_cast<int>(cards_.size());
    if (content.owner_type == OwnerType::kIndividual ||
        content.owner_type == OwnerType::kMerchant) {
      if (!demo_.building_ids.empty() && n % 2 == 0) {
        content.location.building_id = demo_.building_ids[Mix(n) % demo_.building_ids.size()];
      }
    }
    if (n % 3 != 0 && !content.location.lat) {  // two in three carry coordinates
      content.location.lat = kDemoLat + (Unit(n * 2 + 1) - 0.5) * 0.024;  // about ±1.3 km
      content.location.lon = kDemoLon + (Unit(n * 2 + 2) - 0.5) * 0.028;
    }
    SeedCard card{std::move(ref), owner, std::move(content), Lifecycle::kListed,
                  Availability::kAvailable};
    // A few waiting for the committee, a few out on loan or under repair.
    if (n % 17 == 5) card.lifecycle = Lifecycle::kPendingReview;
    if (n % 23 == 7) card.availability = Availability::kReserved;
    if (n % 29 == 11) card.availability = Availability::kInUse;
    if (n % 41 == 13) card.availability = Availability::kMaintenance;
    cards_.push_back(std::move(card));
  }

  std::vector<SeedCard>& cards() { return cards_; }

 private:
  const DemoCommunity& demo_;
  std::vector<SeedCard> cards_;
};

UsageRule Free() {
  return UsageRule{};
}
UsageRule Points(std::int64_t points) {
  UsageRule rule;
  rule.type = RuleType::kPoints;
  rule.points = points;
  return rule;
}
UsageRule Price(std::int64_t fen, std::string unit) {
  UsageRule rule;
  rule.type = RuleType::kPrice;
  rule.price_fen = fen;
  rule.price_unit = std::move(unit);
  return rule;
}
UsageRule Deposit(std::int64_t points) {
  UsageRule rule;
  rule.type = RuleType::kDeposit;
  rule.deposit_points = points;
  return rule;
}
UsageRule Exchange(std::string terms) {
  UsageRule rule;
  rule.type = RuleType::kExchange;
  rule.exchange_terms = std::move(terms);
  return rule;
}

CardContent Content(Kind kind, OwnerType owner, std::string title, std::string description,
                    std::vector<std::string> tags, UsageRule rule) {
  CardContent content;
  content.kind = kind;
  content.owner_type = owner;
  content.title = std::move(title);
  content.description = std::move(description);
  content.tags = std::move(tags);
  content.rule = std::move(rule);
  return content;
}

void AddRepairers(PoolBuilder& pool, const std::vector<std::int64_t>& repairers) {
  for (std::size_t i = 0; i < repairers.size(); ++i) {
    const auto first = kAppliances[i % kAppliances.size()];
    const auto second = kAppliances[(i + 2) % kAppliances.size()];
    UsageRule rule = i % 3 == 0 ? Free() : i % 3 == 1 ? Points(20) : Price(3000, "次");
    CardContent content =
        Content(Kind::kService, OwnerType::kIndividual,
                fmt::format("上门家电维修（{}、{}）", first, second),
                fmt::format("{}，退休电工，擅长{}、{}等家电维修，晚上和周末有空，材料费另算。",
                            kRepairNames[i], first, second),
                {"家电维修", std::string(first), std::string(second)}, rule);
    content.attributes.skill = "家电维修";
    if (i % 4 == 0) content.attributes.certificate = "家用电器维修工（中级）";
    pool.Add(fmt::format("demo:repair:{}", i + 1), repairers[i], std::move(content));
  }
}

void AddHousekeeping(PoolBuilder& pool, const std::vector<std::int64_t>& merchants) {
  for (std::size_t i = 0; i < merchants.size(); ++i) {
    UsageRule rule =
        i % 4 == 3 ? Points(600) : Price(3500 + static_cast<std::int64_t>(i) * 100, "小时");
    CardContent content = Content(Kind::kService, OwnerType::kMerchant,
                                  fmt::format("{}·折扣家政（社区居民八折）", kHousekeepingShops[i]),
                                  "日常保洁、擦玻璃、厨房深度清洁，社区居民凭卡盟预约享八折，也可用"
                                  "积分抵扣（100 积分抵 5 元）。",
                                  {"折扣家政", "保洁", i % 2 == 0 ? "擦玻璃" : "厨房清洁"}, rule);
    content.attributes.skill = "家政保洁";
    content.visibility = i % 3 == 0 ? Visibility::kStreet : Visibility::kCommunity;
    pool.Add(fmt::format("demo:housekeeping:{}", i + 1), merchants[i], std::move(content));
  }
}

void AddClassrooms(PoolBuilder& pool, const DemoCommunity& demo) {
  for (std::size_t i = 0; i < kClassroomSpaces.size(); ++i) {
    const auto& space = kClassroomSpaces[i];
    CardContent content =
        Content(Kind::kSpace, space.owner, std::string(space.title),
                "免费用于社区课堂：老年智能手机班、亲子阅读、健康讲座等公益课程，提前三天预约。",
                {"社区课堂", "免费"}, Free());
    content.attributes.capacity = space.capacity;
    content.attributes.open_hours = std::string(space.open_hours);
    content.attributes.facilities = i % 2 == 0 ? std::vector<std::string>{"投影仪", "空调", "桌椅"}
                                               : std::vector<std::string>{"白板", "音响", "桌椅"};
    const std::int64_t owner =
        space.owner == OwnerType::kProperty ? demo.staff_id : demo.committee_id;
    pool.Add(fmt::format("demo:classroom:{}", i + 1), owner, std::move(content));
  }
}

void AddParking(PoolBuilder& pool, const std::vector<std::int64_t>& owners, int count) {
  for (int i = 0; i < count; ++i) {
    const int building = i % 6 + 1;
    CardContent content =
        Content(Kind::kSpace, OwnerType::kIndividual,
                fmt::format("{}号楼地下车位 B{:03}（工作日白天空闲）", building, 100 + i),
                "上班时间车位空着，工作日 8:00-18:00 可错峰停车，5 元/小时，请按时驶离。",
                {"车位", "错峰停车"}, Price(500, "小时"));
    content.attributes.capacity = 1;
    content.attributes.open_hours = "工作日 8:00-18:00";
    pool.Add(fmt::format("demo:parking:{}", i + 1),
             owners[static_cast<std::size_t>(i) % owners.size()], std::move(content));
  }
}

void AddVolunteers(PoolBuilder& pool, const std::vector<std::int64_t>& owners, int count) {
  for (int i = 0; i < count; ++i) {
    const auto title = kVolunteerTitles[static_cast<std::size_t>(i) % kVolunteerTitles.size()];
    CardContent content = Content(Kind::kManpower, OwnerType::kIndividual, std::string(title),
                                  "社区志愿者，服务时长计入时间银行，可兑换其他服务。",
                                  {"志愿者", "时间银行"}, i % 2 == 0 ? Free() : Points(10));
    content.attributes.team_size = 1 + i % 8;
    content.attributes.skills = {std::string(title.substr(0, 6)), "沟通"};
    pool.Add(fmt::format("demo:volunteer:{}", i + 1),
             owners[static_cast<std::size_t>(i) % owners.size()], std::move(content));
  }
}

void AddGoods(PoolBuilder& pool, const std::vector<std::int64_t>& owners, int budget) {
  constexpr std::array<Condition, 4> kConditions{Condition::kLikeNew, Condition::kGood,
                                                 Condition::kGood, Condition::kFair};
  int made = 0;
  while (made < budget) {  // more than one round of the templates when the budget allows
    for (const auto& goods : kGoods) {
      for (int copy = 0; copy < goods.copies && made < budget; ++copy, ++made) {
        UsageRule rule = made % 5 == 0   ? Deposit(50)
                         : made % 5 == 1 ? Points(5)
                         : made % 7 == 2 ? Exchange("换一次家电小修或几本童书")
                                         : Free();
        CardContent content =
            Content(Kind::kGoods, OwnerType::kIndividual, std::string(goods.title),
                    std::string(goods.description), {std::string(goods.tag), "共享工具"}, rule);
        content.attributes.condition = Pick(kConditions, static_cast<std::uint64_t>(made));
        content.attributes.quantity = 1 + made % 3 / 2;
        pool.Add(fmt::format("demo:goods:{}", made + 1),
                 owners[static_cast<std::size_t>(made) % owners.size()], std::move(content));
      }
    }
  }
}

void AddServices(PoolBuilder& pool, const std::vector<std::int64_t>& owners, int count) {
  for (int i = 0; i < count; ++i) {
    const auto& service = kServices[static_cast<std::size_t>(i) % kServices.size()];
    CardContent content =
        Content(Kind::kService, OwnerType::kIndividual, std::string(service.title),
                std::string(service.description), {std::string(service.tag)},
                i % 3 == 0   ? Points(30)
                : i % 3 == 1 ? Free()
                             : Price(5000, "小时"));
    content.attributes.skill = std::string(service.skill);
    if (service.skill == "法律咨询") content.visibility = Visibility::kCity;
    pool.Add(fmt::format("demo:service:{}", i + 1),
             owners[static_cast<std::size_t>(i) % owners.size()], std::move(content));
  }
}

struct Providers {
  std::vector<std::int64_t> repairers;
  std::vector<std::int64_t> merchants;
  std::int64_t teacher = 0;
};

Result<Providers> EnsureProviders(accounts::AccountsService& accounts, const DemoCommunity& demo) {
  const Actor system = Actor::System();
  Providers providers;
  for (std::size_t i = 0; i < kRepairNames.size(); ++i) {
    LINLI_ASSIGN_OR_RETURN(auto id, accounts.EnsureUser(system, {fmt::format("repair{:02}", i + 1),
                                                                 std::string(kRepairNames[i]),
                                                                 demo.password,
                                                                 demo.sunshine_id,
                                                                 {Role::kResident},
                                                                 std::nullopt}));
    providers.repairers.push_back(id);
  }
  for (std::size_t i = 0; i < kHousekeepingShops.size(); ++i) {
    LINLI_ASSIGN_OR_RETURN(auto id,
                           accounts.EnsureUser(system, {fmt::format("jiazheng{:02}", i + 1),
                                                        std::string(kHousekeepingShops[i]),
                                                        demo.password,
                                                        demo.sunshine_id,
                                                        {Role::kMerchant},
                                                        std::nullopt}));
    providers.merchants.push_back(id);
  }
  LINLI_ASSIGN_OR_RETURN(providers.teacher,
                         accounts.EnsureUser(system, {"teacher_li",
                                                      "李阿姨（退休教师）",
                                                      demo.password,
                                                      demo.sunshine_id,
                                                      {Role::kResident, Role::kVolunteer},
                                                      std::nullopt}));
  return providers;
}

}  // namespace

Result<int> SeedDemoPool(ResourcesService& resources, accounts::AccountsService& accounts,
                         const DemoCommunity& demo) {
  LINLI_ASSIGN_OR_RETURN(auto providers, EnsureProviders(accounts, demo));
  std::vector<std::int64_t> neighbours = providers.repairers;
  neighbours.push_back(demo.resident_id);
  neighbours.push_back(demo.volunteer_id);
  neighbours.push_back(providers.teacher);

  PoolBuilder pool(demo);
  AddRepairers(pool, providers.repairers);     // 23
  AddHousekeeping(pool, providers.merchants);  // 15
  AddClassrooms(pool, demo);                   // 8
  CardContent phone_class =
      Content(Kind::kService, OwnerType::kIndividual, "老年人智能手机教学",
              "退休教师李阿姨，擅长手机教学：微信视频、扫码支付、网上挂号，周末在社区活动室开课。",
              {"手机教学", "老年人", "社区课堂"}, Free());
  phone_class.attributes.skill = "手机教学";
  pool.Add("demo:teacher-li", providers.teacher, std::move(phone_class));  // 1
  AddParking(pool, neighbours, 40);
  AddVolunteers(pool, {demo.volunteer_id, providers.teacher, demo.resident_id}, 30);
  AddServices(pool, neighbours, 42);
  const int goods_budget = kDemoCardCount - static_cast<int>(pool.cards().size());
  AddGoods(pool, neighbours, goods_budget);
  // Two drafts of the demo resident, so "my cards" shows every stage.
  pool.cards().back().lifecycle = Lifecycle::kDraft;
  pool.cards().back().owner_user_id = demo.resident_id;
  pool.cards()[pool.cards().size() - 2].lifecycle = Lifecycle::kPendingReview;
  pool.cards()[pool.cards().size() - 2].owner_user_id = demo.resident_id;
  LINLI_ASSIGN_OR_RETURN(auto created,
                         resources.EnsureCards(Actor::System(), demo.sunshine_id, pool.cards()));

  // The neighbouring community: one card the whole street may see, one only its own members.
  CardContent hall = Content(Kind::kSpace, OwnerType::kCommunity, "和谐社区文化活动中心",
                             "可容纳 120 人的礼堂，街道内各社区均可预约举办公益活动。",
                             {"社区课堂", "礼堂"}, Free());
  hall.attributes.capacity = 120;
  hall.attributes.open_hours = "每天 9:00-21:00";
  hall.visibility = Visibility::kStreet;
  hall.location.lat = kDemoLat + 0.006;
  hall.location.lon = kDemoLon + 0.004;
  CardContent drill = Content(Kind::kGoods, OwnerType::kIndividual, "冲击电钻（和谐社区）",
                              "仅限本社区居民借用。", {"电钻"}, Free());
  drill.attributes.condition = Condition::kGood;
  std::vector<SeedCard> harmony{
      {"demo:harmony:hall", demo.committee_id, hall, Lifecycle::kListed, Availability::kAvailable},
      {"demo:harmony:drill", demo.committee_id, drill, Lifecycle::kListed,
       Availability::kAvailable}};
  LINLI_ASSIGN_OR_RETURN(auto more,
                         resources.EnsureCards(Actor::System(), demo.harmony_id, harmony));
  return created + more;
}

CardContent SyntheticCard(int n) {
  constexpr std::array<std::string_view, 16> kThings{
      "电钻",     "车位", "维修", "投影仪", "雨伞", "家政", "理发",   "陪护",
      "平板电脑", "梯子", "钢琴", "绘本",   "轮椅", "帐篷", "自行车", "书法"};
  constexpr std::array<std::string_view, 8> kQualifiers{"闲置", "共享", "上门", "周末",
                                                        "社区", "爱心", "便民", "错峰"};
  constexpr std::array<Kind, 4> kKinds{Kind::kGoods, Kind::kSpace, Kind::kService, Kind::kManpower};
  const auto seed = static_cast<std::uint64_t>(n);
  const auto thing = Pick(kThings, seed * 3 + 1);
  const auto other = Pick(kThings, seed * 3 + 2);
  CardContent content;
  content.kind = Pick(kKinds, seed * 5 + 3);
  content.owner_type = OwnerType::kIndividual;
  content.title = fmt::format("{}{} {}号", Pick(kQualifiers, seed * 7 + 4), thing, n);
  content.description = fmt::format("合成数据：可提供{}，也可以帮忙{}。编号 {}。", thing, other, n);
  content.tags = {std::string(thing), std::string(Pick(kQualifiers, seed * 11 + 5))};
  switch (content.kind) {
    case Kind::kSpace: content.attributes.capacity = 1 + n % 50; break;
    case Kind::kService: content.attributes.skill = std::string(thing); break;
    case Kind::kGoods: content.attributes.quantity = 1 + n % 5; break;
    case Kind::kManpower: content.attributes.team_size = 1 + n % 10; break;
  }
  switch (Mix(seed * 13 + 6) % 4) {
    case 0: content.rule = Free(); break;
    case 1: content.rule = Points(1 + n % 100); break;
    case 2: content.rule = Price(100 * (1 + n % 50), "小时"); break;
    default: content.rule = Deposit(10 + n % 90); break;
  }
  // Within about 5 km of the demo centre.
  content.location.lat = kDemoLat + (Unit(seed * 17 + 7) - 0.5) * 0.09;
  content.location.lon = kDemoLon + (Unit(seed * 19 + 8) - 0.5) * 0.105;
  return content;
}

}  // namespace linli::resources
