import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoBilling } from '../../electron/server/demo/billing';
import { seededRandom } from '../../electron/server/demo/random';
import type { IsoDate } from '../../shared/domain/types';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { seedBillingData } from '../crash/seed';
import { totals } from './billing-fixtures';

const TODAY = new Date('2026-11-23T09:00:00Z');
let a: TestBackend;
let b: TestBackend;
beforeEach(async () => {
  a = await testBackend({ now: () => TODAY });
  b = await testBackend({ now: () => TODAY });
});
afterEach(async () => {
  await a.close();
  await b.close();
});

describe('demo billing history', () => {
  it('bills three months with the real engine, closes and mostly pays them, the same way every time', async () => {
    for (const t of [a, b]) {
      await seedBillingData(t.backend.datastore.db, 300, '2026-11-01' as IsoDate);
      const started = Date.now();
      const summary = await seedDemoBilling(t.backend.datastore.db, seededRandom(7), TODAY, 300);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(summary.runs).toBe(4);
      expect(summary.invoices).toBeGreaterThan(500);
      expect(summary.payments).toBeGreaterThan(summary.invoices * 0.6);
    }
    expect(await totals(a)).toEqual(await totals(b));
    const settings = await a.call('billingSettings.get', {});
    expect(settings).toMatchObject({ ispName: 'Pine Hollow Wireless', billingStartDate: '2026-09-01', paymentTermsDays: 15 });
    expect(settings.ispLogo).toMatch(/^data:image\/svg\+xml;base64,/);

    const aging = await a.call('billing.aging', { pageSize: 5 });
    expect(aging.total).toBeGreaterThan(0);
    expect(BigInt(aging.totals.days1to30Cents) + BigInt(aging.totals.days31to60Cents) + BigInt(aging.totals.days61to90Cents)).toBeGreaterThan(0n);
    const open = await a.call('invoices.listOpen', {});
    expect(open.total).toBeGreaterThan(0);
    // Nothing before the billing start (Sep 1) was billed.
    const early = await a.backend.datastore.db.selectFrom('charges').select('id').where('period_start', '<', '2026-09-01').execute();
    expect(early).toEqual([]);
    const runs = await a.call('billing.runs.list', {});
    expect(runs.rows.every((r) => r.status === 'completed')).toBe(true);
  });
});
