import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makePlan, makeRouter, makeSubscription } from '../../../test/fixtures/factories';
import { catalogPackage, taxClass } from '../../../test/integration/billing-fixtures';

let t: TestBackend;
let clock = new Date('2026-11-15T10:00:00Z');
beforeEach(async () => {
  clock = new Date('2026-11-15T10:00:00Z');
  t = await testBackend({ now: () => clock });
});
afterEach(async () => {
  await t.close();
});

/** Bronze ($50.00/month wireless + $100.00 installation) and Silver ($70.00 + $150.00), taxed 10%. */
async function catalog(opts: { silverContract?: { termMonths: number; fee: number }; bronzeContract?: { termMonths: number; fee: number }; silverInternetName?: string } = {}) {
  const tax = await taxClass(t, 'Telecom', '10');
  const bronzePlan = await makePlan(t, { name: 'Wireless 25', priceCents: 5000, taxClassId: tax });
  const silverPlan = await makePlan(t, { name: 'Wireless 50', priceCents: 7000, taxClassId: tax });
  const dialPlan = await makePlan(t, { name: 'Dial-up 56k', priceCents: 1500, accessTechnology: 'dial-up' });
  const install = await makePlan(t, { kind: 'Custom', name: 'Installation', priceCents: 0, downloadKbps: undefined, uploadKbps: undefined, qosMode: undefined, accessTechnology: undefined });
  const bronze = await catalogPackage(t, {
    name: 'Bronze',
    products: [
      { name: 'Internet', planId: bronzePlan.id, ratingMethod: 'recurring', priceCents: 5000, minQuantity: 1 },
      { name: 'Installation', planId: install.id, ratingMethod: 'one-time', priceCents: 10000, minQuantity: 1 },
    ],
  });
  const silver = await catalogPackage(t, {
    name: 'Silver',
    products: [
      { name: opts.silverInternetName ?? 'Internet', planId: silverPlan.id, ratingMethod: 'recurring', priceCents: 7000, minQuantity: 1 },
      { name: 'Installation', planId: install.id, ratingMethod: 'one-time', priceCents: 15000, minQuantity: 1 },
    ],
  });
  const dial = await catalogPackage(t, { name: 'Dial', products: [{ name: 'Dial-up', planId: dialPlan.id, ratingMethod: 'recurring', priceCents: 1500, minQuantity: 1 }] });
  const db = t.backend.datastore.db;
  for (const [pkg, c] of [[bronze, opts.bronzeContract], [silver, opts.silverContract]] as const) {
    if (c) await db.insertInto('contracts').values({ package_id: pkg.packageId, name: `${c.termMonths} months`, term_months: c.termMonths, cancellation_fee_cents: c.fee }).execute();
  }
  return { bronze, silver, dial, silverPlan, bronzePlan, dialPlan };
}

async function subscriberOn(packageId: number, startDate = '2026-10-01', withContract = false) {
  const sub = await makeSubscription(t, { billDay: 1 });
  const contract = withContract ? await t.backend.datastore.db.selectFrom('contracts').select('id').where('package_id', '=', packageId).executeTakeFirst() : undefined;
  const ap = await t.call('accountPackages.provision', { subscriptionId: sub.id, packageId, startDate, contractId: contract?.id ?? null });
  return { sub, ap };
}

/** Bills through November (Oct and Nov, in advance) and closes the invoices. */
async function billNovember() {
  await t.call('billing.run', { date: '2026-11-01', wait: true });
  await t.call('invoices.closeAllOpen', { date: '2026-11-01' });
}

describe('package moves', () => {
  it('monthly → monthly mid-period: 16/30 of Bronze credited on a memo, 16/30 of Silver charged, fee taxed like Silver Internet', async () => {
    const c = await catalog();
    const silverInternet = c.silver.productIds[0]!;
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId, feeCents: 2500, feeProductId: silverInternet, contractRule: 'destination-then-source', billOneTime: false });
    const router = await makeRouter(t);
    const { sub, ap } = await subscriberOn(c.bronze.packageId);
    const internet = ap.services.find((s) => s.description === 'Internet')!;
    await t.call('services.update', { id: internet.id, login: 'kim@bronze', routerId: router.id, macAddresses: 'AA:BB:CC:00:11:22' });
    await billNovember();

    const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15', billOneTime: false };
    const p = await t.call('packageMoves.preview', input);
    expect(p.refusals).toEqual([]);
    expect(p.services).toMatchObject([{ serviceId: internet.id, toProductName: 'Internet', toPlanName: 'Wireless 50', login: 'kim@bronze' }]);
    // 5000 × 16/30 = 2666.67 → 2667, tax 266.7 → 267.
    expect(p.credits).toMatchObject([{ mode: 'credit-memo', unusedDays: 16, lineDays: 30, amountCents: 2667, taxCents: 267 }]);
    expect(p.credits[0]!.explanation).toContain('16 of 30 days unused');
    // 7000 × 16/30 = 3733.33 → 3733, tax 373; fee 2500 + 250 tax.
    const recurring = p.charges.find((x) => x.kind === 'recurring')!;
    expect(recurring).toMatchObject({ periodStart: '2026-11-15', periodEnd: '2026-12-01', amountCents: 3733, taxCents: 373 });
    expect(recurring.explanation).toContain('16 of 30 days');
    expect(p.charges.find((x) => x.kind === 'upgrade-fee')).toMatchObject({ description: 'Upgrade Fee', amountCents: 2500, taxCents: 250, taxRatePercent: '10' });
    expect(p.charges.some((x) => x.kind === 'one-time')).toBe(false);
    expect(p.netCents).toBe(3733 + 373 + 2500 + 250 - 2667 - 267);

    const done = await t.call('packageMoves.apply', { ...input, expectedFingerprint: p.fingerprint }, undefined);
    expect(done.move).toMatchObject({ state: 'applied', netCents: p.netCents, sourcePackageName: 'Bronze', targetPackageName: 'Silver' });
    expect(done.creditMemoNumbers).toHaveLength(1);
    const moved = await t.call('services.get', { id: internet.id });
    expect(moved).toMatchObject({ planName: 'Wireless 50', login: 'kim@bronze', routerId: router.id, macAddresses: ['AA:BB:CC:00:11:22'], accountPackageId: done.move.targetAccountPackageId, status: 'Active' });
    const aps = await t.call('accountPackages.listBySubscription', { subscriptionId: sub.id });
    expect(aps.find((a) => a.id === ap.id)!.endDate).toBe('2026-11-14');
    expect(aps.find((a) => a.id === done.move.targetAccountPackageId)!.startDate).toBe('2026-11-15');
    // What was written is what was previewed: the memo and the open invoice's lines.
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: sub.id });
    expect(memos[0]).toMatchObject({ subtotalCents: 2667, taxCents: 267 });
    const inv = await t.call('invoices.get', { id: done.invoiceId! });
    expect(inv.charges.map((x) => [x.description, x.amountCents, x.taxCents]).sort()).toEqual([
      ['Internet', 3733, 373],
      ['Upgrade Fee', 2500, 250],
    ]);
    expect(inv.totalCents).toBe(3733 + 373 + 2500 + 250);
    // The next billing run carries on at Silver's price from December.
    await t.call('billing.run', { date: '2026-12-01', wait: true });
    const dec = await t.backend.datastore.db.selectFrom('charges').select(['amount_cents', 'period_start']).where('service_id', '=', internet.id).where('period_start', '=', '2026-12-01').execute();
    expect(dec).toEqual([{ amount_cents: 7000, period_start: '2026-12-01' }]);
    expect(await t.call('packageMoves.list', { subscriptionId: sub.id })).toMatchObject([{ state: 'applied', createdBy: expect.any(String), figures: { netCents: p.netCents } }]);
  });

  it('a downgrade mid-period credits more than it charges', async () => {
    const c = await catalog();
    await t.call('upgradePaths.create', { packageId: c.silver.packageId, targetPackageId: c.bronze.packageId });
    const { ap } = await subscriberOn(c.silver.packageId);
    await billNovember();
    const p = await t.call('packageMoves.preview', { accountPackageId: ap.id, targetPackageId: c.bronze.packageId, billStartDate: '2026-11-15', billOneTime: false });
    // Credit 7000 × 16/30 = 3733 (+373); charge 5000 × 16/30 = 2667 (+267).
    expect(p.creditsCents).toBe(3733 + 373);
    expect(p.chargesCents).toBe(2667 + 267);
    expect(p.netCents).toBe(2667 + 267 - 3733 - 373);
    const done = await t.call('packageMoves.apply', { accountPackageId: ap.id, targetPackageId: c.bronze.packageId, billStartDate: '2026-11-15', expectedFingerprint: p.fingerprint });
    expect(done.move.netCents).toBe(-1172);
  });

  it('carries profile answers when the service name matches, and drops them with a note when it does not', async () => {
    for (const silverName of ['Internet', 'Broadband']) {
      const c = await catalog({ silverInternetName: silverName });
      const db = t.backend.datastore.db;
      const qb = await db.insertInto('profile_questions').values({ package_id: c.bronze.packageId, label: 'Tower', kind: 'text' }).returning('id').executeTakeFirstOrThrow();
      const qs = await db.insertInto('profile_questions').values({ package_id: c.silver.packageId, label: 'Tower', kind: 'text' }).returning('id').executeTakeFirstOrThrow();
      await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId });
      const { ap } = await subscriberOn(c.bronze.packageId);
      const internet = ap.services.find((s) => s.description === 'Internet')!;
      await db.insertInto('service_profile_answers').values({ service_id: internet.id, question_id: qb.id, answer: 'North hill' }).execute();
      const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15' };
      const p = await t.call('packageMoves.preview', input);
      await t.call('packageMoves.apply', input);
      const moved = await t.call('services.get', { id: internet.id });
      if (silverName === 'Internet') {
        expect(moved.profileAnswers).toEqual([{ questionId: qs.id, label: 'Tower', answer: 'North hill' }]);
      } else {
        expect(moved.profileAnswers).toEqual([]);
        expect(p.notes.join(' ')).toContain('answer to "Tower" dropped');
      }
      await t.close();
      t = await testBackend({ now: () => clock });
    }
  });

  it('bills the target one-time products in full only when "bill one-time" is ticked', async () => {
    const c = await catalog();
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId, billOneTime: true });
    const { ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    const base = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15' };
    const ticked = await t.call('packageMoves.preview', { ...base, billOneTime: true });
    const unticked = await t.call('packageMoves.preview', { ...base, billOneTime: false });
    expect(ticked.charges.filter((x) => x.kind === 'one-time')).toMatchObject([{ description: 'Installation', amountCents: 15000, taxCents: 0 }]);
    expect(unticked.charges.filter((x) => x.kind === 'one-time')).toEqual([]);
    expect(ticked.netCents - unticked.netCents).toBe(15000);
    expect(unticked.staying).toMatchObject([{ description: 'Installation' }]);
    const done = await t.call('packageMoves.apply', { ...base, billOneTime: true, expectedFingerprint: ticked.fingerprint });
    const target = await t.call('accountPackages.get', { id: done.move.targetAccountPackageId! });
    expect(target.services.map((s) => s.description).sort()).toEqual(['Installation', 'Internet']);
  });

  it('a one-time → one-time move charges only the difference', async () => {
    const install = await makePlan(t, { kind: 'Custom', name: 'Setup', priceCents: 0, downloadKbps: undefined, uploadKbps: undefined, qosMode: undefined, accessTechnology: undefined });
    const small = await catalogPackage(t, { name: 'Small setup', products: [{ name: 'Setup', planId: install.id, ratingMethod: 'one-time', priceCents: 8000, minQuantity: 1 }] });
    const big = await catalogPackage(t, { name: 'Big setup', products: [{ name: 'Setup', planId: install.id, ratingMethod: 'one-time', priceCents: 20000, minQuantity: 1 }] });
    await t.call('upgradePaths.create', { packageId: small.packageId, targetPackageId: big.packageId });
    await t.call('upgradePaths.create', { packageId: big.packageId, targetPackageId: small.packageId });
    const { ap } = await subscriberOn(small.packageId, '2026-11-01');
    await billNovember();
    const up = await t.call('packageMoves.preview', { accountPackageId: ap.id, targetPackageId: big.packageId, billStartDate: '2026-11-15' });
    expect(up.charges).toMatchObject([{ kind: 'one-time-difference', amountCents: 12000 }]);
    expect(up.netCents).toBe(12000);
    const done = await t.call('packageMoves.apply', { accountPackageId: ap.id, targetPackageId: big.packageId, billStartDate: '2026-11-15' });
    clock = new Date('2026-11-20T10:00:00Z');
    const back = await t.call('packageMoves.preview', { accountPackageId: done.move.targetAccountPackageId!, targetPackageId: small.packageId, billStartDate: '2026-11-20' });
    // Back down: 8000 − the 20000 the service now stands at (8000 charged + 12000 difference).
    expect(back.charges).toMatchObject([{ kind: 'one-time-difference', amountCents: -12000 }]);
    expect(back.netCents).toBe(-12000);
  });

  it('refuses a move with an incompatible service, naming it, and writes nothing', async () => {
    const c = await catalog();
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.dial.packageId });
    const { ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    const before = await t.backend.datastore.db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const p = await t.call('packageMoves.preview', { accountPackageId: ap.id, targetPackageId: c.dial.packageId, billStartDate: '2026-11-15' });
    expect(p.refusals[0]!.reason).toMatch(/Internet cannot move: .*dial-up/);
    const e = await t.fail('packageMoves.apply', { accountPackageId: ap.id, targetPackageId: c.dial.packageId, billStartDate: '2026-11-15' });
    expect(e.code).toBe('refused');
    expect(e.message).toContain('Internet cannot move');
    const after = await t.backend.datastore.db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await t.call('accountPackages.listBySubscription', { subscriptionId: ap.subscriptionId })).length).toBe(1);
    expect(await t.call('packageMoves.list', { subscriptionId: ap.subscriptionId })).toEqual([]);
  });

  it('refuses to confirm when the data changed since the preview', async () => {
    const c = await catalog();
    const path = await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId, feeCents: 1000, feeProductId: c.silver.productIds[0]! });
    const { ap } = await subscriberOn(c.bronze.packageId);
    const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15' };
    const p = await t.call('packageMoves.preview', input);
    await t.call('upgradePaths.update', { id: path.id, feeCents: 2000 });
    const e = await t.fail('packageMoves.apply', { ...input, expectedFingerprint: p.fingerprint });
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('changed since the preview');
  });

  it('a move dated in the past, across a billing run, corrects what was billed since then', async () => {
    const c = await catalog();
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId });
    const { ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    // Moved from Oct 16: Oct 16 of 31 days unused and all of November credited; Silver charged for both.
    const p = await t.call('packageMoves.preview', { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-10-16' });
    expect(p.credits.map((x) => [x.unusedDays, x.lineDays, x.amountCents])).toEqual([
      [16, 31, 2581], // 5000 × 16/31 = 2580.65
      [30, 30, 5000],
    ]);
    expect(p.charges.filter((x) => x.kind === 'recurring').map((x) => [x.periodStart, x.periodEnd, x.amountCents])).toEqual([
      ['2026-10-16', '2026-11-01', 3613], // 7000 × 16/31 = 3612.90
      ['2026-11-01', '2026-12-01', 7000],
    ]);
    await t.call('packageMoves.apply', { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-10-16', expectedFingerprint: p.fingerprint });
    // Nothing left for the run to bill twice.
    const run = await t.call('billing.run', { date: '2026-11-15', wait: true });
    expect(run.chargesCreated).toBe(0);
  });

  it('a future move is stored as scheduled and carried out on its date, also after the app was closed', async () => {
    const c = await catalog();
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId });
    const { sub, ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-20' };
    const p = await t.call('packageMoves.preview', input);
    expect(p.scheduled).toBe(true);
    const stored = await t.call('packageMoves.apply', { ...input, expectedFingerprint: p.fingerprint });
    expect(stored.move.state).toBe('scheduled');
    expect((await t.call('accountPackages.listBySubscription', { subscriptionId: sub.id })).length).toBe(1);
    // The app is closed until Nov 22; the next start catches up.
    const dataDir = t.dataDir;
    await t.backend.close();
    clock = new Date('2026-11-22T08:00:00Z');
    const reopened = await testBackend({ now: () => clock, dataDir });
    const moves = await reopened.call('packageMoves.list', { subscriptionId: sub.id });
    expect(moves[0]).toMatchObject({ state: 'applied', netCents: p.netCents });
    expect(moves[0]!.outcome).toContain('scheduler');
    const aps = await reopened.call('accountPackages.listBySubscription', { subscriptionId: sub.id });
    expect(aps.find((a) => a.id === ap.id)!.endDate).toBe('2026-11-19');
    await reopened.close();
    t = await testBackend({ now: () => clock });
  });
});

describe('contracts on a move', () => {
  const rules = ['destination-then-source', 'destination', 'source'] as const;
  for (const rule of rules) {
    for (const fee of [0, 9900]) {
      it(`rule ${rule}, early-cancellation fee ${fee}`, async () => {
        const c = await catalog({ bronzeContract: { termMonths: 12, fee }, silverContract: { termMonths: 24, fee: 5000 } });
        await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId, contractRule: rule });
        const { sub, ap } = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
        const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15' };
        const p = await t.call('packageMoves.preview', input);
        const expectedFee = rule === 'destination' ? fee : 0;
        expect(p.contract).toMatchObject({ rule, outcome: rule === 'source' ? 'source' : 'target', earlyFeeCents: expectedFee });
        expect(p.charges.filter((x) => x.kind === 'contract-fee').map((x) => x.amountCents)).toEqual(expectedFee ? [expectedFee] : []);
        const done = await t.call('packageMoves.apply', input);
        const target = await t.call('contracts.ofSubscription', { subscriptionId: sub.id });
        const now = target.find((x) => x.accountPackageId === done.move.targetAccountPackageId)!;
        expect(now.contractName).toBe(rule === 'source' ? '12 months' : '24 months');
        expect(now.startDate).toBe(rule === 'source' ? '2026-10-01' : '2026-11-15');
        if (expectedFee) {
          const old = target.find((x) => x.accountPackageId === ap.id)!;
          expect(old.decided).toMatchObject({ feeCents: fee, waivedReason: null, occasion: 'move' });
        }
      });
    }
  }

  it('staff can waive the fee of an "always destination" move with a reason, recorded', async () => {
    const c = await catalog({ bronzeContract: { termMonths: 12, fee: 9900 } });
    await t.call('upgradePaths.create', { packageId: c.bronze.packageId, targetPackageId: c.silver.packageId, contractRule: 'destination' });
    const { sub, ap } = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
    const input = { accountPackageId: ap.id, targetPackageId: c.silver.packageId, billStartDate: '2026-11-15', waiveFeeReason: 'Loyal customer' };
    const p = await t.call('packageMoves.preview', input);
    expect(p.contract).toMatchObject({ earlyFeeCents: 9900, waived: true, waiveReason: 'Loyal customer' });
    expect(p.charges.some((x) => x.kind === 'contract-fee')).toBe(false);
    await t.call('packageMoves.apply', input);
    const contracts = await t.call('contracts.ofSubscription', { subscriptionId: sub.id });
    expect(contracts.find((x) => x.accountPackageId === ap.id)!.decided).toMatchObject({ feeCents: 9900, waivedReason: 'Loyal customer' });
  });

  it('ending the package or cancelling the subscription in term charges the fee once; the summary shows the fee today', async () => {
    const c = await catalog({ bronzeContract: { termMonths: 12, fee: 9900 } });
    const { sub, ap } = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
    expect(await t.call('contracts.ofSubscription', { subscriptionId: sub.id })).toMatchObject([{ termEndDate: '2027-10-01', feeCents: 9900, feeTodayCents: 9900, decided: null }]);
    const ended = await t.call('accountPackages.end', { id: ap.id, endDate: '2026-11-30' });
    expect(ended).toMatchObject({ feeCents: 9900, waived: false });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moving away' });
    const fees = await t.backend.datastore.db.selectFrom('charges').select('amount_cents').where('description', 'like', 'Early cancellation fee%').execute();
    expect(fees).toEqual([{ amount_cents: 9900 }]);

    const other = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
    await t.call('subscriptions.setStatus', { id: other.sub.id, status: 'Cancelled', reason: 'Unhappy' });
    expect(await t.call('contracts.ofSubscription', { subscriptionId: other.sub.id })).toMatchObject([{ decided: { occasion: 'subscription cancelled', feeCents: 9900 } }]);
  });
});

describe('cancelling a subscription in its contract term', () => {
  it('staff can waive the fee with a reason: no charge, the waiver recorded on the contract and in the history', async () => {
    const c = await catalog({ bronzeContract: { termMonths: 12, fee: 9900 } });
    const { sub } = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
    // What the cancel dialog previews: the fee that cancelling today would charge.
    expect(await t.call('contracts.ofSubscription', { subscriptionId: sub.id })).toMatchObject([{ feeTodayCents: 9900, termEndDate: '2027-10-01', decided: null }]);
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moving abroad', waiveFeeReason: 'Bereavement' });
    const fees = await t.backend.datastore.db.selectFrom('charges').select('amount_cents').where('subscription_id', '=', sub.id).where('description', 'like', 'Early cancellation fee%').execute();
    expect(fees).toEqual([]);
    expect(await t.call('contracts.ofSubscription', { subscriptionId: sub.id })).toMatchObject([{ feeTodayCents: 0, decided: { feeCents: 9900, waivedReason: 'Bereavement', occasion: 'subscription cancelled', decidedOn: '2026-11-15' } }]);
    const [change] = await t.call('subscriptions.history', { id: sub.id });
    expect(change!.reason).toBe('Moving abroad (12 months early-cancellation fee waived: Bereavement)');
  });

  it('cancelling without a waiver charges the fee the preview showed', async () => {
    const c = await catalog({ bronzeContract: { termMonths: 12, fee: 9900 } });
    const { sub } = await subscriberOn(c.bronze.packageId, '2026-10-01', true);
    const [shown] = await t.call('contracts.ofSubscription', { subscriptionId: sub.id });
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moving abroad' });
    const fees = await t.backend.datastore.db.selectFrom('charges').select('amount_cents').where('subscription_id', '=', sub.id).where('description', 'like', 'Early cancellation fee%').execute();
    expect(fees).toEqual([{ amount_cents: shown!.feeTodayCents }]);
    expect((await t.call('subscriptions.history', { id: sub.id }))[0]!.reason).toBe('Moving abroad');
  });
});

describe('plan change on one service', () => {
  it('mid-period: unused old days credited, the new plan charged to the end of the period', async () => {
    const c = await catalog();
    const { ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    const internet = ap.services.find((s) => s.description === 'Internet')!;
    const p = await t.call('services.changePlanPreview', { id: internet.id, planId: c.silverPlan.id });
    // Price becomes the plan's 7000 (the product's own price is dropped unless kept).
    expect(p.credits).toMatchObject([{ amountCents: 2667, taxCents: 267, unusedDays: 16, lineDays: 30 }]);
    expect(p.charges).toMatchObject([{ periodStart: '2026-11-15', periodEnd: '2026-12-01', amountCents: 3733, taxCents: 373 }]);
    const changed = await t.call('services.changePlan', { id: internet.id, planId: c.silverPlan.id });
    expect(changed.planName).toBe('Wireless 50');
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: ap.subscriptionId });
    expect(memos[0]).toMatchObject({ subtotalCents: 2667, taxCents: 267 });
  });

  it('a scheduled plan change is prorated on its own date, also when the scheduler catches up a day late', async () => {
    const c = await catalog();
    const { ap } = await subscriberOn(c.bronze.packageId);
    await billNovember();
    const internet = ap.services.find((s) => s.description === 'Internet')!;
    await t.call('services.scheduleChange', { serviceId: internet.id, effectiveDate: '2026-11-20', change: { kind: 'plan', planId: c.silverPlan.id } });
    // The app was closed on the 20th; the scheduler runs on the 21st and prorates on the 20th.
    clock = new Date('2026-11-21T08:00:00Z');
    expect(await t.call('services.applyDueChanges', { today: '2026-11-21' })).toEqual({ applied: 1, failed: 0 });
    expect((await t.call('services.get', { id: internet.id })).planName).toBe('Wireless 50');
    // 20–30 November: 11 of 30 days. Credit 5000 × 11/30 = 1833.33 → 1833, tax 183.3 → 183.
    const memos = await t.call('creditMemos.listBySubscription', { subscriptionId: ap.subscriptionId });
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({ subtotalCents: 1833, taxCents: 183 });
    // Charge 7000 × 11/30 = 2566.67 → 2567, tax 256.7 → 257, from the 20th to the bill day.
    const charged = await t.backend.datastore.db
      .selectFrom('charges')
      .select(['amount_cents', 'tax_cents', 'period_start', 'period_end'])
      .where('service_id', '=', internet.id)
      .where('period_start', '=', '2026-11-20')
      .execute();
    expect(charged).toEqual([{ amount_cents: 2567, tax_cents: 257, period_start: '2026-11-20', period_end: '2026-12-01' }]);
    // The same figures as an immediate change made on the 20th would show.
    clock = new Date('2026-11-20T10:00:00Z');
    const other = await subscriberOn(c.bronze.packageId);
    await t.call('billing.run', { date: '2026-11-20', wait: true });
    await t.call('invoices.closeAllOpen', { date: '2026-11-20' });
    const otherInternet = other.ap.services.find((s) => s.description === 'Internet')!;
    const now = await t.call('services.changePlanPreview', { id: otherInternet.id, planId: c.silverPlan.id });
    expect(now.credits).toMatchObject([{ amountCents: 1833, taxCents: 183 }]);
    expect(now.charges).toMatchObject([{ periodStart: '2026-11-20', amountCents: 2567, taxCents: 257 }]);
  });

  it('refuses to schedule a change to a plan of another access technology, naming the field', async () => {
    const c = await catalog();
    const { ap } = await subscriberOn(c.bronze.packageId);
    const internet = ap.services.find((s) => s.description === 'Internet')!;
    const e = await t.fail('services.scheduleChange', { serviceId: internet.id, effectiveDate: '2026-12-01', change: { kind: 'plan', planId: c.dialPlan.id } });
    expect(e.code).toBe('validation');
    expect(e.fields?.['change.planId']).toContain('Access technology');
    expect(await t.call('services.scheduledChanges', { id: internet.id })).toEqual([]);
  });

  it('refuses an incompatible plan naming the field', async () => {
    const c = await catalog();
    const { ap } = await subscriberOn(c.bronze.packageId);
    const internet = ap.services.find((s) => s.description === 'Internet')!;
    const e = await t.fail('services.changePlan', { id: internet.id, planId: c.dialPlan.id });
    expect(e.code).toBe('validation');
    expect(e.fields).toHaveProperty('accessTechnology');
    expect(e.fields).toHaveProperty('planId');
  });
});
