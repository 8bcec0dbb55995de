/**
 * Subscription statuses and the rules for moving between them (DOMAIN.md, "Subscription").
 * Pure: used by the back end to enforce and by the renderer to offer only legal moves.
 */
export const SUBSCRIPTION_STATUSES = ['Active', 'Inactive', 'Suspended', 'Cancelled', 'Completed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Cancelled and Completed end the relationship; leaving them is a deliberate reopen. */
export const CLOSED_STATUSES: readonly SubscriptionStatus[] = ['Cancelled', 'Completed'];

export function isClosed(status: SubscriptionStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Statuses a new subscription may start in: a closed or suspended start makes no sense. */
export const INITIAL_STATUSES: readonly SubscriptionStatus[] = ['Active', 'Inactive'];

/**
 * Open statuses move freely among themselves and may close.
 * A closed subscription may only be reopened, and only to Active or Inactive:
 * reopening straight into Suspended, or swapping Cancelled for Completed, would rewrite history
 * instead of recording it.
 */
const ALLOWED: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  Active: ['Inactive', 'Suspended', 'Cancelled', 'Completed'],
  Inactive: ['Active', 'Suspended', 'Cancelled', 'Completed'],
  Suspended: ['Active', 'Inactive', 'Cancelled', 'Completed'],
  Cancelled: ['Active', 'Inactive'],
  Completed: ['Active', 'Inactive'],
};

/** Moves that need a written reason: they withhold service, end it, or undo an ending. */
function needsReason(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return to === 'Suspended' || isClosed(to) || isClosed(from);
}

export interface TransitionRequest {
  from: SubscriptionStatus;
  to: SubscriptionStatus;
  reason?: string | null;
  /** Must be true to leave a closed status. */
  reopen?: boolean;
}

export type TransitionVerdict =
  | { allowed: true }
  | { allowed: false; field: 'status' | 'reason' | 'reopen'; message: string };

export function checkTransition({ from, to, reason, reopen }: TransitionRequest): TransitionVerdict {
  if (from === to) return { allowed: false, field: 'status', message: `The subscription is already ${to}.` };
  if (!ALLOWED[from].includes(to)) {
    return { allowed: false, field: 'status', message: `A ${from} subscription cannot become ${to}; reopen it as Active or Inactive first.` };
  }
  if (isClosed(from) && !reopen) {
    return { allowed: false, field: 'reopen', message: `The subscription is ${from}; confirm the reopen to change its status.` };
  }
  if (needsReason(from, to) && !(reason ?? '').trim()) {
    return { allowed: false, field: 'reason', message: `A reason is required to change ${from} to ${to}.` };
  }
  return { allowed: true };
}

export function allowedTargets(from: SubscriptionStatus): readonly SubscriptionStatus[] {
  return ALLOWED[from];
}

export function reasonRequired(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return needsReason(from, to);
}
