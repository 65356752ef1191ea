#pragma once
// 一户一档: a record per household of the accounts hierarchy, its members, consent records and
// a participation/feedback history. Sensitive values (phone, ID number, health notes, and every
// field of a member under 14) exist only sealed (core/sealed.hpp) in household_sealed; what a
// caller sees of them is decided per field and role (docs/households.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linli::households {

// Members younger than this (in whole years, on the injected clock) are minors: every field
// about them is sealed and saving anything about them needs a guardian's consent.
inline constexpr int kMinorAgeYears = 14;

// Text bounds (UTF-8 bytes) and list bounds; named here so routes and docs agree.
inline constexpr std::size_t kNameBytesMax = 128;
inline constexpr std::size_t kRelationBytesMax = 32;
inline constexpr std::size_t kPhoneBytesMax = 32;
inline constexpr std::size_t kIdNumberBytesMax = 32;
inline constexpr std::size_t kHealthNotesBytesMax = 2000;
inline constexpr std::size_t kNotesBytesMax = 2000;
inline constexpr std::size_t kHistoryNoteBytesMax = 2000;
inline constexpr std::size_t kTagBytesMax = 64;
inline constexpr std::size_t kTagsMax = 20;
inline constexpr std::size_t kMembersPerHouseholdMax = 30;
// Re-sealing runs in batches so one rotation never holds the writer for long.
inline constexpr int kRotateBatchRows = 200;

// Willingness to take part in community life (household and member level).
enum class Willingness : std::uint8_t { kUnknown, kYes, kMaybe, kNo };
std::string_view WillingnessName(Willingness value);
std::optional<Willingness> ParseWillingness(std::string_view name);

enum class ConsentKind : std::uint8_t {
  kHealth,    // the person's own consent to keep health notes (a guardian's for a minor)
  kGuardian,  // a guardian's consent to keep anything about a member under 14
};
std::string_view ConsentKindName(ConsentKind kind);
std::optional<ConsentKind> ParseConsentKind(std::string_view name);

// How a consent was obtained; kept as evidence.
enum class ConsentMethod : std::uint8_t { kInPerson, kPaper, kOnline };
std::string_view ConsentMethodName(ConsentMethod method);
std::optional<ConsentMethod> ParseConsentMethod(std::string_view name);

enum class HistoryKind : std::uint8_t { kParticipation, kFeedback, kVisit, kService };
std::string_view HistoryKindName(HistoryKind kind);
std::optional<HistoryKind> ParseHistoryKind(std::string_view name);

// "YYYY-MM-DD" with a real calendar date (1900..2200); days since 1970-01-01 or nullopt.
std::optional<std::int64_t> ParseCivilDate(std::string_view text);
// Whole years between `birth_date` and the UTC date of `now_s`; nullopt for a bad date.
std::optional<int> AgeYears(std::string_view birth_date, std::int64_t now_s);
// "YYYY-MM-DD" of the UTC day containing `epoch_s`.
std::string CivilDateOf(std::int64_t epoch_s);

// What one caller may see and do with one household. Built by the service from the caller's
// roles and relation to the household; fields not visible are left out of responses and named
// in hidden_fields.
struct Access {
  bool visible = false;       // false: the household does not exist for this caller (404)
  bool profile = false;       // needs, willingness, notes, adult members' details, history
  bool phone = false;         // members' phone numbers
  bool id_number = false;     // members' ID numbers
  bool health = false;        // members' health notes
  bool minors = false;        // anything about members under 14
  bool consents = false;      // consent records
  bool edit = false;          // change the record, members, consents; add history
  bool edit_notes = false;    // the guide's working notes
  bool assign_guide = false;  // choose the household's guide; assign guides to grids
  bool committee = false;     // export and erase anyone's data
};

struct Ref {
  std::int64_t id = 0;
  std::string name;
};

struct Household {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::optional<Ref> grid;
  Ref building;
  std::string unit_label;
  std::optional<std::int64_t> guide_user_id;
  Willingness willingness = Willingness::kUnknown;
  std::vector<std::string> needs;
  std::string notes;
  std::int64_t member_count = 0;
  std::int64_t version = 0;  // 0 until the record was first saved
  std::optional<std::int64_t> updated_at;
};

struct MemberProfile {
  std::string name;
  std::string relation;  // 户主, 配偶, 子女, ... (free text)
  std::optional<std::string> birth_date;
  std::vector<std::string> skills;
  std::vector<std::string> needs;
  Willingness willingness = Willingness::kUnknown;
};

struct Member {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> user_id;  // the member's own account, when they have one
  MemberProfile profile;
  bool is_minor = false;
  std::optional<std::string> phone;
  std::optional<std::string> id_number;
  std::optional<std::string> health_notes;
  bool health_consent = false;    // the latest health consent record grants
  bool guardian_consent = false;  // the latest guardian consent record grants
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A member as a caller may see it: Member with the fields the caller may not see cleared and
// listed in hidden_fields.
struct MemberView {
  Member member;
  std::vector<std::string> hidden_fields;
};

struct HouseholdView {
  Household household;
  std::vector<MemberView> members;
  std::vector<std::string> hidden_fields;
  Access access;
};

// Patch semantics: nullopt keeps, "" (or an empty list) clears.
struct MemberPatch {
  std::optional<std::string> name;
  std::optional<std::string> relation;
  std::optional<std::string> birth_date;
  std::optional<std::vector<std::string>> skills;
  std::optional<std::vector<std::string>> needs;
  std::optional<Willingness> willingness;
  std::optional<std::string> phone;
  std::optional<std::string> id_number;
  std::optional<std::string> health_notes;
  std::optional<std::int64_t> user_id;  // 0 unlinks
};

// A consent granted together with a save, recorded in the same transaction.
struct ConsentGrant {
  ConsentMethod method = ConsentMethod::kInPerson;
  std::optional<std::int64_t> guardian_member_id;  // guardian consents: who the guardian is
};

struct MemberSave {
  MemberPatch patch;
  std::optional<ConsentGrant> health_consent;
  std::optional<ConsentGrant> guardian_consent;
  std::optional<std::int64_t> if_version;  // optimistic concurrency (If-Match)
};

struct RecordPatch {
  std::optional<Willingness> willingness;
  std::optional<std::vector<std::string>> needs;
  std::optional<std::string> notes;
  std::optional<std::int64_t> guide_user_id;  // 0 clears
  std::optional<std::int64_t> if_version;
};

struct Consent {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  ConsentKind kind = ConsentKind::kHealth;
  bool granted = false;
  ConsentMethod method = ConsentMethod::kInPerson;
  std::optional<std::int64_t> guardian_member_id;
  std::int64_t recorded_by = 0;  // user id; 0 = the system
  std::int64_t recorded_at = 0;
};

struct ConsentChange {
  ConsentKind kind = ConsentKind::kHealth;
  bool granted = true;
  ConsentMethod method = ConsentMethod::kInPerson;
  std::optional<std::int64_t> guardian_member_id;
};

struct HistoryEntry {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::optional<std::int64_t> member_id;
  std::string occurred_on;  // YYYY-MM-DD
  HistoryKind kind = HistoryKind::kParticipation;
  std::string note;
  std::int64_t recorded_by = 0;
  std::int64_t created_at = 0;
};

struct HistoryInput {
  std::optional<std::int64_t> member_id;
  std::string occurred_on;
  HistoryKind kind = HistoryKind::kParticipation;
  std::string note;
};

struct GridGuide {
  std::int64_t grid_id = 0;
  std::string grid_name;
  std::int64_t user_id = 0;
  std::int64_t assigned_at = 0;
};

struct ListFilter {
  std::optional<std::int64_t> grid_id;
  std::optional<std::int64_t> building_id;
};

// Everything the register holds about one person, decrypted, for the person or the committee.
struct PersonExport {
  std::int64_t exported_at = 0;
  Household household;
  Member member;
  std::vector<Consent> consents;
  std::vector<HistoryEntry> history;
};

struct RotationReport {
  std::int64_t resealed = 0;
  std::uint32_t key_id = 0;
};

}  // namespace linli::households
