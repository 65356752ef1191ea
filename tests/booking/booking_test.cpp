// Booking on SQLite: the shared use cases, pure rules, the iCalendar output parsed by libical,
// and a RapidCheck property against a reference model of slot units.
#include <libical/ical.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "booking/ical.hpp"
#include "booking/routes.hpp"
#include "booking_cases.hpp"
#include "support/temp_store.hpp"

namespace linli::booking {

CaseStore OpenCaseStore() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  auto store = linli::testing::OpenMigratedSqlite(*dir);
  return CaseStore{std::move(store), [dir] {}};
}

namespace {

TEST(BookingModel, FreeUnitsAndFullIntervals) {
  std::vector<Occupied> occupied{{0, 0, 10}, {1, 5, 15}};
  EXPECT_EQ(FreeUnits(occupied, 2, 0, 5), std::vector<std::int64_t>{1});
  EXPECT_TRUE(FreeUnits(occupied, 2, 5, 10).empty());
  EXPECT_EQ(FreeUnits(occupied, 2, 10, 20), std::vector<std::int64_t>{0});
  EXPECT_EQ(FullIntervals(occupied, 2, 0, 20), (std::vector<Interval>{{5, 10}}));
  EXPECT_EQ(PriceFen(500, 5400), 750);
  EXPECT_EQ(PriceFen(500, 1), 1);  // rounded up to a fen
  EXPECT_EQ(ParseClock("24:00"), 86400);
  EXPECT_FALSE(ParseClock("24:01"));
  EXPECT_EQ(DecodeWindows(EncodeWindows({{1, 28800, 64800}, {7, 0, 86400}})),
            (std::vector<WeeklyWindow>{{1, 28800, 64800}, {7, 0, 86400}}));
}

TEST(BookingModel, AdjacentWindowsJoinAcrossMidnight) {
  const auto zone = TimeZone::Default();
  const std::int64_t monday = DayFromCivil(2026, 10, 5).value();  // a Monday
  std::vector<WeeklyWindow> windows{{1, 20 * 3600, 86400}, {2, 0, 8 * 3600}};
  EXPECT_TRUE(
      WindowsCover(zone, windows, zone.ToUtc(monday, 22 * 3600), zone.ToUtc(monday + 1, 6 * 3600)));
  EXPECT_FALSE(
      WindowsCover(zone, windows, zone.ToUtc(monday, 19 * 3600), zone.ToUtc(monday, 21 * 3600)));
}

TEST(BookingIcal, FoldsAt75OctetsWithoutSplittingUtf8) {
  const std::string line =
      "SUMMARY:" + std::string(40, 'a') + "潮汐停车车位共享预约预约预约预约预约";
  const std::string folded = FoldLine(line);
  std::size_t start = 0;
  while (start < folded.size()) {
    const auto end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    // A continuation line never starts inside a UTF-8 sequence.
    if (start > 0) {
      EXPECT_NE(static_cast<unsigned char>(folded[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
  EXPECT_EQ(EscapeText("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
}

TEST(BookingIcal, LibicalParsesTheFeed) {
  std::vector<CalendarEvent> events{
      {"booking-1@linli", 1'790'000'000, 1'790'003'600, 1'789'990'000,
       "预约：阳光社区活动室（一楼），含投影仪, 白板; 空调", "备注：带孩子来\n第二行", false, 2},
      {"booking-2@linli", 1'790'100'000, 1'790'103'600, 1'789'990'000, "已取消", "", true, 1}};
  const std::string text = RenderCalendar("-//Linli//Test//ZH", "我的预约", events);
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  ASSERT_NE(calendar, nullptr);
  std::vector<std::string> uids;
  for (icalcomponent* event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
       event != nullptr;
       event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    uids.emplace_back(icalcomponent_get_uid(event));
    if (uids.size() == 1) {
      EXPECT_STREQ(icalcomponent_get_summary(event), events[0].summary.c_str());
      EXPECT_STREQ(icalcomponent_get_description(event), events[0].description.c_str());
      EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtstart(event)), 1'790'000'000);
      EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtend(event)), 1'790'003'600);
    } else {
      EXPECT_EQ(icalcomponent_get_status(event), ICAL_STATUS_CANCELLED);
    }
  }
  EXPECT_EQ(uids, (std::vector<std::string>{"booking-1@linli", "booking-2@linli"}));
  icalcomponent_free(calendar);
}

TEST(BookingRoutes, ParsesSettingsAndRejectsUnknownFields) {
  auto body =
      boost::json::parse(
          R"({"capacity":3,"buffer_minutes":15,"windows":[{"weekday":1,"start":"08:00","end":"18:00"}],"blackouts":[{"start_s":10,"end_s":20,"kind":"maintenance","note":"检修"}]})")
          .as_object();
  auto settings = ParseSettingsBody(body, Settings{});
  ASSERT_TRUE(settings.has_value()) << settings.error().detail;
  EXPECT_EQ(settings->capacity, 3);
  EXPECT_EQ(settings->buffer_s, 900);
  EXPECT_EQ(settings->windows, (std::vector<WeeklyWindow>{{1, 28800, 64800}}));
  ASSERT_EQ(settings->blackouts.size(), 1u);
  auto unknown = ParseSettingsBody(boost::json::parse(R"({"colour":1})").as_object(), Settings{});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().errors.at(0).reason, "unknown_field");
  auto bad_window = ParseSettingsBody(
      boost::json::parse(R"({"windows":[{"weekday":8,"start":"08:00","end":"07:00"}]})")
          .as_object(),
      Settings{});
  EXPECT_FALSE(bad_window.has_value());
  EXPECT_EQ(StripIcs("abc.ics"), "abc");
}

// The property: any sequence of create / cancel / complete / expire (no-show release) leaves
// no two active bookings on one unit overlapping, never more than `capacity` at once, and the
// service accepts a booking exactly when the reference model has a unit free for it. Units are
// never reshuffled: both the service and the model take the lowest unit free over the whole
// [start, end + buffer), so a booking gets slot_taken exactly when every unit overlaps it (even
// if moving existing bookings between units would make room).
class PropertyWorld {
 public:
  static PropertyWorld& Get() {
    static PropertyWorld world;
    return world;
  }
  storage::Store& store() { return *store_; }
  linli::testing::TempDir dir;
  std::unique_ptr<storage::Store> store_ = linli::testing::OpenMigratedSqlite(dir);
  ManualClock clock{1'790'000'000};
  SeededRandom random{3};
  audit::AuditService audit{*store_, clock};
  accounts::AccountsService accounts{*store_, audit, clock, random};
  notify::NotifyService notify{*store_, clock};
  search::Index index;
  resources::ResourcesService resources{*store_, audit, notify, accounts, index, clock};
  BookingService service{*store_, audit, notify, accounts, resources, clock, random};
  std::int64_t community = 0;
  Actor owner, booker;
  int cards = 0;

 private:
  PropertyWorld() {
    crypto::InitCrypto();
    community = accounts
                    .EnsureCommunity(Actor::System(), {"上海市", "阳光街道", "性质社区",
                                                       "Asia/Shanghai", std::nullopt})
                    .value();
    owner = Make("prop-owner");
    booker = Make("prop-booker");
  }
  Actor Make(const std::string& login) {
    Actor actor;
    EXPECT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("INSERT INTO users (login, display_name, "
                                                        "password_hash, status, created_at) "
                                                        "VALUES ($1, $1, 'x', 'active', 0) "
                                                        "RETURNING id",
                                                        {login}));
      actor.user_id = row->Int(0);
      return Ok();
    }));
    actor.roles_by_community[community] = {Role::kResident};
    actor.current_community_id = community;
    return actor;
  }
};

struct ModelBooking {
  std::int64_t id, unit, start, end;
  bool active;
};

RC_GTEST_PROP(BookingProperty, NeverOverCapacityAndAgreesWithTheModel, ()) {
  auto& w = PropertyWorld::Get();
  const std::int64_t capacity = *rc::gen::inRange<std::int64_t>(1, 4);
  const std::int64_t buffer = *rc::gen::element<std::int64_t>(0, 900);
  resources::CardContent content;
  content.kind = resources::Kind::kSpace;
  content.title = "性质测试";
  const std::string ref = "prop:" + std::to_string(++w.cards);
  RC_ASSERT(w.resources.EnsureCards(Actor::System(), w.community, {{ref, w.owner.user_id, content}})
                .has_value());
  std::int64_t card = 0;
  RC_ASSERT(w.store()
                .Read([&](storage::Session& s) -> Status {
                  LINLI_ASSIGN_OR_RETURN(
                      auto row, s.QueryOne("SELECT id FROM resource_cards WHERE ref = $1", {ref}));
                  card = row->Int(0);
                  return Ok();
                })
                .has_value());
  Settings settings;
  settings.capacity = capacity;
  settings.buffer_s = buffer;
  settings.min_duration_s = 1800;
  RC_ASSERT(w.service.PutSettings(w.owner, card, settings, std::nullopt).has_value());

  const std::int64_t base_now = 1'790'000'000;
  const std::int64_t t0 = base_now + 24 * 3600;
  w.clock.Set(base_now);
  std::vector<ModelBooking> model;
  const auto fits = [&](std::int64_t start, std::int64_t end) {
    for (std::int64_t unit = 0; unit < capacity; ++unit) {
      bool free = true;
      for (const auto& m : model) {
        // One buffer on each side: [m.start, m.end + buffer) against [start, end + buffer).
        if (m.active && m.unit == unit && m.start < end + buffer && m.end + buffer > start) {
          free = false;
        }
      }
      if (free) return unit;
    }
    return std::int64_t{-1};
  };
  const int steps = *rc::gen::inRange(1, 40);
  for (int step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 10);
    if (op < 6 || model.empty()) {  // create
      const std::int64_t start = t0 + *rc::gen::inRange<std::int64_t>(0, 24) * 1800;
      const std::int64_t end = start + *rc::gen::inRange<std::int64_t>(1, 6) * 1800;
      const std::int64_t unit = fits(start, end);
      auto created =
          w.service.Create(w.booker, {card, Kind::kBooking, start, end, "", std::nullopt});
      if (unit < 0) {
        RC_ASSERT(!created.has_value());
        RC_ASSERT(created.error().reason == std::string("slot_taken"));
      } else {
        RC_ASSERT(created.has_value());
        RC_ASSERT(created->booking.unit == unit);
        model.push_back({created->booking.id, unit, start, end, true});
      }
    } else {
      auto& m = model[*rc::gen::inRange<std::size_t>(0, model.size())];
      if (op < 8) {  // cancel
        auto cancelled = w.service.Cancel(w.booker, m.id, "");
        RC_ASSERT(cancelled.has_value() == m.active);
        m.active = false;
      } else if (op < 9) {  // check in and complete at its start
        w.clock.Set(m.start);
        auto checked = w.service.CheckIn(w.booker, m.id);
        RC_ASSERT(checked.has_value() == m.active);
        if (checked) RC_ASSERT(w.service.Complete(w.booker, m.id, "").has_value());
        m.active = false;
        w.clock.Set(base_now);
      } else {  // expire: the no-show job an hour after this booking's start
        const std::int64_t now = m.start + 3600;
        // The world is shared by every case, so other cards' due bookings fill batches too:
        // run the job until it finds nothing more (it works in batches by contract).
        for (int run = 0;; ++run) {
          auto report = w.service.RunJobs(now);
          RC_ASSERT(report.has_value());
          if (report->no_shows == 0) break;
          RC_ASSERT(run < 1000);
        }
        for (auto& other : model) {
          if (other.active && other.start + 900 <= now) other.active = false;
        }
      }
    }
    // The invariant in the database itself: no overlap on a unit, never over capacity.
    std::vector<Occupied> rows;
    RC_ASSERT(w.store()
                  .Read([&](storage::Session& s) -> Status {
                    LINLI_ASSIGN_OR_RETURN(auto found,
                                           s.Query("SELECT unit, start_s, end_s FROM booking_slots "
                                                   "WHERE card_id = $1",
                                                   {card}));
                    for (const auto& r : found) rows.push_back({r.Int(0), r.Int(1), r.Int(2)});
                    return Ok();
                  })
                  .has_value());
    std::size_t active = 0;
    for (const auto& m : model) active += m.active ? 1 : 0;
    RC_ASSERT(rows.size() == active);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      RC_ASSERT(rows[i].unit >= 0 && rows[i].unit < capacity);
      for (std::size_t j = i + 1; j < rows.size(); ++j) {
        RC_ASSERT(!(rows[i].unit == rows[j].unit && rows[i].start_s < rows[j].end_s &&
                    rows[j].start_s < rows[i].end_s));
      }
    }
  }
}

}  // namespace
}  // namespace linli::booking
