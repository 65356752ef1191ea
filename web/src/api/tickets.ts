// Types and helpers of the tickets API 诉求与报修 (/tickets, /track, /communities/{id}/tickets).
export type TicketType = 'consult' | 'help' | 'complaint' | 'report' | 'suggestion' | 'repair';
export type Colour = 'red' | 'yellow' | 'blue';
export type TicketStatus =
  | 'submitted'
  | 'accepted'
  | 'in_progress'
  | 'waiting_on_resident'
  | 'resolved'
  | 'closed'
  | 'merged';
export type AssigneeKind = 'property' | 'grid_worker' | 'merchant' | 'department';

export const COLOURS: readonly Colour[] = ['red', 'yellow', 'blue'];
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['property', 'grid_worker', 'merchant', 'department'];
/** Who works tickets (the server's IsStaff): the queue, accept, resolve, notes. */
export const TICKET_STAFF_ROLES = ['property_staff', 'grid_worker', 'committee', 'admin'] as const;
/** Routing rules and settings. */
export const TICKET_MANAGER_ROLES = ['committee', 'admin'] as const;
/** Only admins edit the working-day calendar; every member may read it. */
export const TICKET_CALENDAR_ROLES = ['committee', 'admin'] as const;

export interface Category {
  code: string;
  name: string;
  group: string;
  description: string;
  default_type: TicketType;
  default_colour: Colour;
}

export interface TicketSummary {
  id: number;
  community_id: number;
  code: string;
  type: TicketType;
  category: string;
  category_name: string;
  colour: Colour;
  status: TicketStatus;
  title: string;
  building_id: number | null;
  assignee_kind: AssigneeKind;
  assignee_user_id: number | null;
  due_at: number | null;
  escalated: boolean;
  created_at: number;
  updated_at: number;
}

export interface SlaClock {
  due_at: number | null;
  met_at: number | null;
  paused: boolean;
  remaining_s: number | null;
  warned: boolean;
  breached: boolean;
}

export interface Step {
  id?: number;
  at: number;
  kind: string;
  from: TicketStatus | null;
  to: TicketStatus | null;
  actor_role: string;
  note: string;
  public?: boolean;
}

export interface TicketDetail extends TicketSummary {
  channel: string;
  description: string;
  building_name: string | null;
  unit_label: string;
  lat: number | null;
  lon: number | null;
  address: string;
  reporter_user_id: number | null;
  entered_by_user_id: number | null;
  assignee: { kind: AssigneeKind; user_id: number | null; department: string };
  response: SlaClock;
  resolution: SlaClock;
  paused_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  merged_into_code: string | null;
  rating: number | null;
  rating_comment: string;
  follow_up: string;
  reopen_count: number;
  version: number;
  photo_ids: number[];
  contact: { name: string; phone: string } | null;
  steps: Step[];
  can_work: boolean;
  is_reporter: boolean;
}

/** GET /track/{code}: what anyone holding the code may see (no reporter data). */
export interface TrackView {
  code: string;
  type: TicketType;
  category: string;
  category_name: string;
  colour: Colour;
  status: TicketStatus;
  building_name: string | null;
  created_at: number;
  updated_at: number;
  response_due_at: number | null;
  resolution_due_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  merged_into_code: string | null;
  steps: Step[];
}

export interface Rule {
  id: number;
  category: string;
  building_id: number | null;
  grid_id: number | null;
  assignee_kind: AssigneeKind;
  assignee_user_id: number | null;
  department: string;
  created_at: number;
}

export interface TicketSettings {
  reopen_days: number;
  supervisor_user_id: number | null;
}

export interface CalendarDay {
  date: string;
  working: boolean;
  note: string;
}

export interface CalendarYear {
  year: number;
  /** custom (edited here), official (the State Council notice), provisional, weekends. */
  source: string;
  confirmed: boolean;
  days: CalendarDay[];
}

export function photoUrl(ticketId: number, photoId: number): string {
  return `/api/v1/tickets/${ticketId}/photos/${photoId}`;
}

/** A typed code as the API takes it: trimmed, upper case, spaces removed (dashes are kept). */
export function normaliseCode(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, '');
}

/** Open tickets count against the SLA. */
export function isOpen(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'closed' && status !== 'merged';
}

/** ISO weekday name index (0 = Sunday) of a YYYY-MM-DD civil date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
