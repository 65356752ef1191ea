// Types and helpers of the trust API 信用与评价 (/ratings, /reports, /disputes, /trust).
import { ApiError } from './client';

export type Side = 'provider' | 'consumer';
export type Level = 'low' | 'fair' | 'good' | 'excellent';

export interface Rating {
  id: number;
  community_id: number;
  exchange_id: number;
  rater_user_id: number;
  ratee_user_id: number;
  ratee_name: string;
  rater_side: Side;
  stars: number | null;
  comment: string;
  rated_at: number | null;
  published_at: number | null;
  review_ends_at: number;
  source: string;
  card_id: number | null;
  completed_at: number;
}

export interface Exchange {
  id: number;
  community_id: number;
  source: string;
  source_id: number;
  card_id: number | null;
  provider_user_id: number;
  provider_name: string;
  consumer_user_id: number;
  consumer_name: string;
  outcome: string;
  completed_at: number;
  review_ends_at: number;
  published_at: number | null;
  my_side: Side;
  my_rating: Rating | null;
  their_rating: Rating | null;
}

export interface Ambassador {
  active: boolean;
  since: number | null;
}

export interface CreditEvent {
  id: number;
  kind: string;
  delta: number;
  amount: number;
  source_type: string;
  source_id: number;
  at: number;
}

export interface CreditRules {
  version: number;
  base: number;
  min: number;
  max: number;
  deltas: Record<string, number>;
  credit_deduction_max: number;
  ambassador_days: number;
  levels: { excellent: number; good: number; fair: number };
}

export interface Credit {
  community_id: number;
  user_id: number;
  score: number;
  level: Level;
  ambassador: Ambassador;
  rules: CreditRules;
  events: CreditEvent[];
  events_truncated: boolean;
}

export interface TrustSummary {
  community_id: number;
  user_id: number;
  rating_count: number;
  rating_average: number;
  credit_score: number | null;
  level: Level | null;
  ambassador: Ambassador;
  verified: boolean;
  exchange_count: number;
}

export type ReportCategory = 'fake' | 'misleading' | 'unavailable' | 'prohibited' | 'other';
export const REPORT_CATEGORIES: ReportCategory[] = ['fake', 'misleading', 'unavailable', 'prohibited', 'other'];

export interface Report {
  id: number;
  community_id: number;
  card_id: number;
  card_title: string;
  card_owner_user_id: number | null;
  reporter_user_id: number;
  category: ReportCategory;
  text: string;
  status: 'open' | 'upheld' | 'dismissed';
  decided_by: number | null;
  decided_at: number | null;
  decision_reason: string;
  reward_points: number;
  created_at: number;
}

export interface DisputeEvent {
  id: number;
  actor_user_id: number;
  kind: 'opened' | 'taken' | 'statement' | 'note' | 'resolved';
  text: string;
  internal: boolean;
  at: number;
}

export type DisputeOutcome = 'compensation' | 'return' | 'credit_deduction' | 'dismissed';

export interface Dispute {
  id: number;
  community_id: number;
  exchange_id: number;
  opened_by: number;
  opened_by_name: string;
  respondent_user_id: number;
  respondent_name: string;
  reason: string;
  status: 'open' | 'in_mediation' | 'resolved';
  mediator_user_id: number | null;
  outcome: DisputeOutcome | null;
  at_fault_user_id: number | null;
  points: number;
  resolution: string;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  viewer_role: 'party' | 'mediator';
  timeline: DisputeEvent[];
}

/** Roles that see the committee's report queue, and the mediators of disputes. */
export const REPORT_REVIEW_ROLES = ['committee', 'admin'] as const;
export const MEDIATOR_ROLES = ['committee', 'admin', 'grid_worker'] as const;

/**
 * A problem whose reason the trust strings know, as an Error with the localised text (shown by
 * ProblemAlert); anything else unchanged.
 */
export function localiseTrustError(
  e: unknown,
  t: (key: string) => string,
  te: (key: string) => boolean,
): unknown {
  if (e instanceof ApiError && e.reason && te(`trust.reasons.${e.reason}`)) {
    return new Error(t(`trust.reasons.${e.reason}`));
  }
  return e;
}
