import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_STATUSES, allowedTargets, checkTransition } from './subscription-status';

describe('subscription status transitions', () => {
  it('lets an active subscription be suspended with a reason', () => {
    expect(checkTransition({ from: 'Active', to: 'Suspended', reason: 'Unpaid since October' })).toEqual({ allowed: true });
  });

  it('asks for a reason when suspending', () => {
    const verdict = checkTransition({ from: 'Active', to: 'Suspended', reason: '  ' });
    expect(verdict).toMatchObject({ allowed: false, field: 'reason' });
  });

  it('needs no reason to switch an active subscription off for a while', () => {
    expect(checkTransition({ from: 'Active', to: 'Inactive' })).toEqual({ allowed: true });
  });

  it('refuses a change to the same status', () => {
    expect(checkTransition({ from: 'Inactive', to: 'Inactive' })).toMatchObject({ allowed: false, field: 'status' });
  });

  it('refuses to leave a closed status without a deliberate reopen', () => {
    expect(checkTransition({ from: 'Cancelled', to: 'Active', reason: 'came back' })).toMatchObject({ allowed: false, field: 'reopen' });
    expect(checkTransition({ from: 'Cancelled', to: 'Active', reason: 'came back', reopen: true })).toEqual({ allowed: true });
  });

  it('never reopens straight into Suspended and never swaps one closed status for the other', () => {
    for (const from of ['Cancelled', 'Completed'] as const) {
      for (const to of ['Suspended', 'Cancelled', 'Completed'] as const) {
        expect(checkTransition({ from, to, reason: 'x', reopen: true }).allowed).toBe(false);
      }
    }
  });

  it('allows every open status to close, each with a reason', () => {
    for (const from of ['Active', 'Inactive', 'Suspended'] as const) {
      expect(allowedTargets(from)).toEqual(expect.arrayContaining(['Cancelled', 'Completed']));
      expect(checkTransition({ from, to: 'Completed' }).allowed).toBe(false);
      expect(checkTransition({ from, to: 'Completed', reason: 'moved away' }).allowed).toBe(true);
    }
  });

  it('offers no transition to the status a subscription already has', () => {
    for (const s of SUBSCRIPTION_STATUSES) expect(allowedTargets(s)).not.toContain(s);
  });
});
