// Types of the /api/v1 contract used by the web UI.

export type Locale = 'zh-CN' | 'en';

export type Role =
  | 'resident'
  | 'merchant'
  | 'property_staff'
  | 'grid_worker'
  | 'committee'
  | 'volunteer'
  | 'organisation'
  | 'admin'
  | 'auditor';

export interface MeCommunity {
  id: number;
  name: string;
  roles: string[];
}

export interface Me {
  id: number;
  login: string;
  display_name: string;
  locale: Locale;
  elder_mode: boolean;
  current_community_id: number | null;
  communities: MeCommunity[];
  csrf_token: string;
}

export interface LoginResponse {
  user: Me;
  csrf_token: string;
}

export interface RegisterRequest {
  login: string;
  password: string;
  display_name: string;
  invite_code?: string;
  community_id?: number;
}

export interface RegisterResponse {
  id: number;
  status: 'active' | 'pending';
}

export interface PreferencesPatch {
  locale?: Locale;
  elder_mode?: boolean;
  current_community_id?: number;
}

export interface Community {
  id: number;
  name: string;
  street?: string;
  city?: string;
  timezone?: string;
  grids?: { id: number; name: string }[];
  buildings?: { id: number; name: string; grid_id: number }[];
}

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface PendingRegistration {
  user_id: number;
  login: string;
  display_name: string;
  created_at: number;
}

export interface ApiKey {
  id: number;
  name: string;
  scopes: string[];
  prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface CreatedApiKey {
  id: number;
  name: string;
  scopes: string[];
  prefix: string;
  secret: string;
}

export const API_KEY_SCOPES = [
  'resources:read',
  'resources:write',
  'announcements:write',
  'tickets:read',
  'tickets:write',
  'gate:verify',
] as const;

export interface AuditEntry {
  seq: number;
  at: number;
  actor_id: number | null;
  acting_for_id: number | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: number | string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  first_bad_seq: number | null;
}

// ---------------------------------------------------------------- resources (资源池)

export const RESOURCE_KINDS = ['space', 'service', 'goods', 'manpower'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const OWNER_TYPES = ['individual', 'merchant', 'property', 'community', 'organisation'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];
export const AVAILABILITIES = ['available', 'reserved', 'in_use', 'maintenance'] as const;
export type Availability = (typeof AVAILABILITIES)[number];
export const LIFECYCLES = ['draft', 'pending_review', 'listed', 'delisted', 'archived'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const RULE_TYPES = ['free', 'price', 'points', 'exchange', 'deposit'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export const VISIBILITIES = ['community', 'street', 'city'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const CONDITIONS = ['new', 'like_new', 'good', 'fair', 'worn'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const SEARCH_SORTS = ['relevance', 'distance', 'newest', 'price'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Members shared by the list summary and the full card. */
export interface ResourceCommon {
  id: number;
  community_id: number;
  kind: ResourceKind;
  owner_type: OwnerType;
  title: string;
  tags: string[];
  rule: RuleType;
  price_fen: number;
  price_unit: string;
  points: number;
  deposit_points: number;
  availability: Availability;
  lifecycle: Lifecycle;
  visibility: Visibility;
  building_id: number | null;
  lat: number | null;
  lon: number | null;
  reconfirm_due_at: number | null;
  updated_at: number;
  /** Not (yet) sent by the API; shown when present. */
  owner_name?: string | null;
}

export interface ResourceSummary extends ResourceCommon {
  summary: string;
  cover_photo_id: number | null;
  score: number | null;
  distance_m: number | null;
}

export interface ResourceCard extends ResourceCommon {
  description: string;
  capacity: number | null;
  open_hours: string;
  facilities: string[];
  skill: string;
  certificate: string;
  condition: Condition | null;
  quantity: number | null;
  team_size: number | null;
  skills: string[];
  exchange_terms: string;
  ref: string | null;
  version: number;
  created_at: number;
  listed_at: number | null;
  last_activity_at: number;
  delisted_reason: string | null;
  photo_ids: number[];
  can_manage: boolean;
  can_review: boolean;
}

export interface SearchResult {
  items: ResourceSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface ResourceReview {
  id: number;
  reviewer_id: number;
  decision: 'approve' | 'reject' | 'delist' | string;
  reason: string;
  decided_at: number;
}

/** POST /resources and PATCH /resources/{id}. */
export interface ResourceInput {
  community_id?: number;
  kind?: ResourceKind;
  owner_type?: OwnerType;
  title?: string;
  description?: string;
  tags?: string[];
  visibility?: Visibility;
  capacity?: number;
  open_hours?: string;
  facilities?: string[];
  skill?: string;
  certificate?: string;
  condition?: Condition;
  quantity?: number;
  team_size?: number;
  skills?: string[];
  rule?: RuleType;
  price_fen?: number;
  price_unit?: string;
  points?: number;
  deposit_points?: number;
  exchange_terms?: string;
  building_id?: number;
  lat?: number;
  lon?: number;
}

export interface ImportCreated {
  created: number;
  ids: number[];
  lifecycle: Lifecycle;
}

export interface ImportRowProblem {
  row: number;
  line: number;
  column: string;
  reason: string;
}

// ---------------------------------------------------------------- households (一户一档)

export type Willingness = 'unknown' | 'yes' | 'maybe' | 'no';
export type ConsentKind = 'health' | 'guardian';
export const CONSENT_METHODS = ['in_person', 'paper', 'online'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const HISTORY_KINDS = ['participation', 'feedback', 'visit', 'service'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * A household as the caller may see it: fields the caller may not see are left
 * out and named in hidden_fields (so every field here is optional).
 */
export interface Household {
  id: number;
  community_id: number;
  grid?: { id: number; name: string } | null;
  building?: { id: number; name: string };
  unit_label?: string;
  guide_user_id?: number | null;
  willingness?: Willingness;
  needs?: string[];
  notes?: string;
  member_count?: number;
  version?: number;
  updated_at?: number | null;
  hidden_fields: string[];
}

export interface HouseholdMember {
  id: number;
  household_id: number;
  user_id?: number | null;
  name?: string;
  relation?: string;
  birth_date?: string | null;
  is_minor?: boolean;
  skills?: string[];
  needs?: string[];
  willingness?: Willingness;
  phone?: string | null;
  id_number?: string | null;
  health_notes?: string | null;
  consents?: { health: boolean; guardian: boolean };
  version?: number;
  created_at?: number;
  updated_at?: number;
  hidden_fields: string[];
}

export interface HouseholdDetail extends Household {
  members: HouseholdMember[];
  permissions: { edit: boolean; edit_notes: boolean; assign_guide: boolean; manage_people: boolean };
}

export interface Consent {
  id: number;
  member_id: number;
  kind: ConsentKind;
  granted: boolean;
  method: ConsentMethod;
  guardian_member_id: number | null;
  recorded_by: number;
  recorded_at: number;
}

export interface HistoryEntry {
  id: number;
  household_id: number;
  member_id: number | null;
  occurred_on: string;
  kind: HistoryKind;
  note: string;
  recorded_by: number;
  created_at: number;
}

// ---------------------------------------------------------------- notifications

export interface AppNotification {
  id: number;
  community_id: number;
  kind: string;
  title: string;
  body: string;
  data: { resource_id?: number; [k: string]: unknown };
  created_at: number;
  read_at: number | null;
}
