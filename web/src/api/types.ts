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
