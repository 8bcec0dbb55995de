import { describe, expect, it } from 'vitest';
import { type CapFacts, capDecision, capDecisions, capThrottleRate } from './cap-rules';

const GB = 1_000_000_000;
const disable100 = { capBytes: 100 * GB, action: 'disable' as const, throttleDownloadKbps: null, throttleUploadKbps: null };
const throttle100 = { capBytes: 100 * GB, action: 'throttle' as const, throttleDownloadKbps: 2000, throttleUploadKbps: 512 };
const fact = (f: Partial<CapFacts>): CapFacts => ({ serviceId: 7, status: 'Active', cap: disable100, usedBytes: 0, open: null, ...f });

describe('the data cap rule', () => {
  it('does nothing while the month\'s usage is below the cap', () => {
    expect(capDecision('2026-12-20', fact({ usedBytes: 100 * GB - 1 }))).toBeNull();
  });

  it('disables an Active service the moment its usage equals the cap', () => {
    expect(capDecision('2026-12-20', fact({ usedBytes: 100 * GB }))).toEqual({
      kind: 'apply',
      serviceId: 7,
      period: '2026-12',
      action: 'disable',
      throttleRate: null,
      usedBytes: 100 * GB,
      capBytes: 100 * GB,
    });
  });

  it('throttles to the cap\'s speed written upload/download as RouterOS does', () => {
    expect(capDecision('2026-12-20', fact({ cap: throttle100, usedBytes: 150 * GB }))).toMatchObject({ kind: 'apply', action: 'throttle', throttleRate: '512k/2M' });
  });

  it('leaves services that are not being served alone', () => {
    for (const status of ['Stopped', 'Pending', 'Disabled'] as const) expect(capDecision('2026-12-20', fact({ status, usedBytes: 200 * GB }))).toBeNull();
  });

  it('does not apply twice in a period, even after staff set the service Active again', () => {
    expect(capDecision('2026-12-31', fact({ usedBytes: 300 * GB, open: { id: 3, period: '2026-12', action: 'disable' } }))).toBeNull();
  });

  it('lifts the action on the first day of the next month, across a year end', () => {
    expect(capDecision('2027-01-01', fact({ status: 'Disabled', usedBytes: 0, open: { id: 3, period: '2026-12', action: 'disable' } }))).toEqual({
      kind: 'lift',
      serviceId: 7,
      actionId: 3,
      action: 'disable',
      reason: 'next period',
    });
  });

  it('lifts at once when the cap is removed, raised above the usage, or its action changed', () => {
    const open = { id: 4, period: '2026-12', action: 'throttle' as const };
    expect(capDecision('2026-12-20', fact({ cap: null, usedBytes: 150 * GB, open }))).toMatchObject({ kind: 'lift', reason: 'cap no longer reached' });
    expect(capDecision('2026-12-20', fact({ cap: { ...throttle100, capBytes: 200 * GB }, usedBytes: 150 * GB, open }))).toMatchObject({ kind: 'lift' });
    expect(capDecision('2026-12-20', fact({ cap: disable100, usedBytes: 150 * GB, open }))).toMatchObject({ kind: 'lift', actionId: 4 });
  });

  it('has no throttle rate for a disable cap', () => {
    expect(capThrottleRate(disable100)).toBeNull();
    expect(capThrottleRate({ ...throttle100, throttleDownloadKbps: 50_000, throttleUploadKbps: 10_000 })).toBe('10M/50M');
  });

  it('answers every service of a day in service order', () => {
    const d = capDecisions('2026-12-20', [fact({ serviceId: 9, usedBytes: 100 * GB }), fact({ serviceId: 2, usedBytes: 1 }), fact({ serviceId: 5, cap: throttle100, usedBytes: 101 * GB })]);
    expect(d.map((x) => [x.serviceId, x.kind])).toEqual([
      [5, 'apply'],
      [9, 'apply'],
    ]);
  });
});
