// Types of the property services API (/api/v1/visitors, /gate, /bills, /announcements).
export type PassMode = 'single_use' | 'window';
export type PassStatus = 'active' | 'upcoming' | 'used_up' | 'expired' | 'revoked';

export interface VisitorPass {
  id: number;
  community_id: number;
  visitor_label: string;
  visitor_phone: string | null;
  purpose: string;
  mode: PassMode;
  max_uses: number;
  uses: number;
  valid_from: number;
  valid_until: number;
  status: PassStatus;
  revoked_at: number | null;
  created_at: number;
  building_id: number | null;
  building_name: string | null;
  mine: boolean;
  code: string | null;
  token: string | null;
  qr_url: string | null;
}

export interface PassUse {
  id: number;
  at: number;
  allowed: boolean;
  reason: string;
  gate: string;
}

export interface GateDecision {
  decision: 'allow' | 'deny';
  reason: string;
  pass_id: number | null;
  visitor_label: string | null;
  building_name: string | null;
  uses: number | null;
  max_uses: number | null;
  valid_until: number | null;
}

export type BillKind = 'property_fee' | 'parking' | 'other';
export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'void';

export interface Bill {
  id: number;
  household_id: number;
  building_id: number;
  building_name: string;
  unit_label: string;
  kind: BillKind;
  period: string;
  title: string;
  amount_fen: number;
  paid_fen: number;
  outstanding_fen: number;
  due_date: string;
  status: BillStatus;
  overdue: boolean;
  created_at: number;
  voided_at: number | null;
}

export interface Payment {
  id: number;
  bill_id: number;
  amount_fen: number;
  provider: string;
  method: 'cash' | 'bank_transfer' | 'counter';
  reference: string;
  paid_at: number;
}

export interface BillDetail extends Bill {
  payments: Payment[];
}

export interface Arrears {
  as_of: string;
  bill_count: number;
  household_count: number;
  outstanding_fen: number;
  truncated: boolean;
  buildings: { building_id: number; building_name: string; household_count: number; bill_count: number; outstanding_fen: number }[];
  bills: Bill[];
}

export interface Announcement {
  id: number;
  community_id: number;
  kind: 'notice' | 'alert';
  category: string;
  severity: 'info' | 'warning' | 'critical' | null;
  title: string;
  body: string;
  audience: 'community' | 'buildings' | 'grids';
  target_ids: number[];
  pinned: boolean;
  created_at: number;
  expires_at: number | null;
  withdrawn_at: number | null;
  active: boolean;
  recipients: number;
  delivery_complete: boolean;
}

export interface AnnouncementList {
  pinned: Announcement[];
  items: Announcement[];
  next_cursor: string | null;
}

export const PROPERTY_DESK_ROLES = ['property_staff', 'admin'] as const;
export const PUBLISH_ROLES = ['property_staff', 'committee', 'admin', 'grid_worker'] as const;

/** Fen as yuan with two decimals ("¥328.50"). */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
