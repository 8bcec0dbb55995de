/**
 * Package moves (DOMAIN.md, "Moving to another package"): preview, carry out in one transaction,
 * or store as scheduled when dated in the future (carried out on its date by `applyDueMoves`, also
 * catching up the days the app was closed). The arithmetic is rules/plan.ts; this file reads and
 * writes around it.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { moveApplied, moveInput, movePreview, packageMove } from '../../../shared/api/moves';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { addDays, compareDates, longDate, type IsoDate } from '../billing/rules/dates';
import { billingStartDate, dayOf, moneyFormat } from '../billing/settings';
import { writeService } from '../services/services';
import { contractOf, packageContract, sourceServices, targetProducts } from './context';
import { type MoveContext, type MovePlan, planMove } from './rules/plan';
import { findUpgradePath } from './upgrade-paths';
import { writeCharges, writeCredits } from './write';

type MoveInput = z.output<typeof moveInput>;
type Preview = z.output<typeof movePreview>;
type PackageMove = z.output<typeof packageMove>;
type Applied = z.output<typeof moveApplied>;

async function moveContext(db: Db, input: MoveInput, today: IsoDate): Promise<MoveContext> {
  const M = input.billStartDate as IsoDate;
  const ap = await db
    .selectFrom('account_packages as ap')
    .innerJoin('packages as p', 'p.id', 'ap.package_id')
    .innerJoin('subscriptions as s', 's.id', 'ap.subscription_id')
    .select(['ap.id', 'ap.subscription_id', 'ap.package_id', 'p.name', 'ap.start_date', 'ap.end_date', 's.bill_day', 's.status', 's.unique_id'])
    .where('ap.id', '=', input.accountPackageId)
    .executeTakeFirst();
  if (!ap) throw fieldError('accountPackageId', `No account package ${input.accountPackageId}`);
  if (ap.status === 'Cancelled' || ap.status === 'Completed') throw new ApiError('refused', `${ap.unique_id} is ${ap.status}; reopen it before moving its package.`, { accountPackageId: `Subscription is ${ap.status}` });
  if (compareDates(M, ap.start_date as IsoDate) <= 0) throw fieldError('billStartDate', `On or before ${ap.name}'s start (${ap.start_date}); the move starts the day after at the earliest`);
  if (ap.end_date !== null && compareDates(ap.end_date as IsoDate, M) < 0) throw fieldError('accountPackageId', `${ap.name} ended ${ap.end_date}, before the move date`);
  const path = await findUpgradePath(db, ap.package_id, input.targetPackageId);
  if (!path) {
    const target = await db.selectFrom('packages').select('name').where('id', '=', input.targetPackageId).executeTakeFirst();
    throw fieldError('targetPackageId', target ? `No upgrade path from ${ap.name} to ${target.name}; add one on the ${ap.name} package` : `No package ${input.targetPackageId}`);
  }
  if (!path.targetActive) throw fieldError('targetPackageId', `${path.targetPackageName} is no longer sold`);
  const [services, products, sourceContract, targetContract, questions, money, notBefore] = await Promise.all([
    sourceServices(db, { accountPackageId: ap.id }, M),
    targetProducts(db, input.targetPackageId),
    contractOf(db, ap.id),
    packageContract(db, input.targetPackageId),
    db.selectFrom('profile_questions').select(['id', 'label']).where('package_id', '=', input.targetPackageId).orderBy('position').orderBy('id').execute(),
    moneyFormat(db),
    billingStartDate(db),
  ]);
  // A contract whose fee was already decided (charged or waived) binds no more.
  const decided = sourceContract ? await db.selectFrom('contract_fees').select('id').where('account_package_id', '=', ap.id).executeTakeFirst() : undefined;
  return {
    subscriptionId: ap.subscription_id,
    today,
    moveDate: M,
    billDay: ap.bill_day,
    money,
    notBefore,
    source: { accountPackageId: ap.id, packageName: ap.name, startDate: ap.start_date as IsoDate, contract: sourceContract && decided ? { ...sourceContract, feeCents: 0 } : sourceContract },
    target: { packageId: input.targetPackageId, name: path.targetPackageName, products, contract: targetContract, questions },
    path: { feeCents: path.feeCents, feeProductId: path.feeProductId, contractRule: path.contractRule },
    billOneTime: input.billOneTime,
    waiveReason: input.waiveFeeReason,
    services,
  };
}

function toPreview(ctx: MoveContext, plan: MovePlan, input: MoveInput): Preview {
  const byId = new Map(ctx.services.map((s) => [s.id, s]));
  const body: Omit<Preview, 'fingerprint'> = {
    subscriptionId: ctx.subscriptionId,
    accountPackageId: ctx.source.accountPackageId,
    sourcePackageName: ctx.source.packageName,
    targetPackageId: ctx.target.packageId,
    targetPackageName: ctx.target.name,
    billStartDate: ctx.moveDate,
    billOneTime: input.billOneTime,
    scheduled: plan.scheduled,
    services: plan.moved.map((m) => {
      const s = byId.get(m.serviceId)!;
      return { serviceId: s.id, description: s.description, fromProductName: s.productName, toProductId: m.product.id, toProductName: m.product.name, toPlanName: m.product.plan!.name, login: s.login, ipv4Address: s.ipv4Address };
    }),
    added: plan.added.map((p) => ({ productId: p.id, productName: p.name, ratingMethod: p.ratingMethod })),
    staying: plan.staying,
    refusals: plan.refusals,
    notes: plan.notes,
    credits: plan.credits.map(({ remaining: _remaining, ...c }) => c),
    charges: plan.charges.map((c) => ({
      kind: c.kind,
      serviceId: c.serviceId,
      productId: c.productId,
      description: c.description,
      periodStart: c.periodStart,
      periodEnd: c.periodEnd,
      amountCents: c.amount,
      taxRatePercent: c.taxRatePercent,
      taxCents: c.tax,
      explanation: c.explanation,
    })),
    contract: {
      rule: plan.contract.rule,
      source: plan.contract.source && { contractId: plan.contract.source.contractId, name: plan.contract.source.name, startDate: plan.contract.source.startDate, termEndDate: plan.contract.source.termEndDate, feeCents: plan.contract.source.feeCents },
      target: plan.contract.target && { contractId: plan.contract.target.contractId, name: plan.contract.target.name, startDate: plan.contract.target.startDate, termEndDate: plan.contract.target.termEndDate, feeCents: plan.contract.target.feeCents },
      outcome: plan.contract.outcome,
      earlyFeeCents: plan.contract.earlyFeeCents,
      waived: plan.contract.waived,
      waiveReason: plan.contract.waived ? ctx.waiveReason : null,
      explanation: plan.contract.explanation,
    },
    creditsCents: plan.creditsCents,
    chargesCents: plan.chargesCents,
    netCents: plan.netCents,
  };
  return { ...body, fingerprint: fingerprint(body) };
}

/** A digest of every figure: confirming against it refuses if anything changed since the preview. */
function fingerprint(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
}

export async function previewMove(db: Db, input: MoveInput, now: Date): Promise<Preview> {
  const ctx = await moveContext(db, input, dayOf(now));
  return toPreview(ctx, planMove(ctx), input);
}

function movesQuery(db: Db) {
  return db.selectFrom('package_moves').selectAll();
}

function toMove(r: Awaited<ReturnType<ReturnType<typeof movesQuery>['executeTakeFirstOrThrow']>>): PackageMove {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    state: r.state as PackageMove['state'],
    sourceAccountPackageId: r.source_account_package_id,
    sourcePackageName: r.source_package_name,
    targetPackageName: r.target_package_name,
    targetAccountPackageId: r.target_account_package_id,
    billStartDate: r.bill_start_date,
    netCents: r.net_cents,
    waiveFeeReason: r.waive_fee_reason,
    outcome: r.outcome,
    createdAt: r.created_at,
    createdBy: r.created_by_name,
    appliedAt: r.applied_at,
    figures: JSON.parse(r.figures) as Preview,
  };
}

export async function getMove(db: Db, id: number): Promise<PackageMove> {
  const r = await movesQuery(db).where('id', '=', id).executeTakeFirst();
  if (!r) throw new ApiError('not_found', `Package move ${id} does not exist.`);
  return toMove(r);
}

export async function listMoves(db: Db, subscriptionId: number): Promise<PackageMove[]> {
  return (await movesQuery(db).where('subscription_id', '=', subscriptionId).orderBy('id', 'desc').execute()).map(toMove);
}

export async function cancelMove(db: Db, id: number, actor: Actor): Promise<PackageMove> {
  const move = await getMove(db, id);
  if (move.state !== 'scheduled') throw new ApiError('refused', `This move was already ${move.state}.`);
  await db.updateTable('package_moves').set({ state: 'cancelled', outcome: `Cancelled by ${actor.name}` }).where('id', '=', id).execute();
  return getMove(db, id);
}

export async function applyMove(db: Db, input: MoveInput & { expectedFingerprint: string | null }, actor: Actor, now: Date): Promise<Applied> {
  const today = dayOf(now);
  const ctx = await moveContext(db, input, today);
  const plan = planMove(ctx);
  const preview = toPreview(ctx, plan, input);
  if (plan.refusals.length > 0) {
    throw new ApiError('refused', `The move is refused, nothing was written: ${plan.refusals.map((r) => r.reason).join('; ')}.`, { targetPackageId: plan.refusals.map((r) => r.reason).join('; ') });
  }
  if (input.expectedFingerprint !== null && input.expectedFingerprint !== preview.fingerprint) {
    throw new ApiError('conflict', 'The data changed since the preview (a charge, a price, a service or the catalog); preview the move again before confirming.', { expectedFingerprint: 'Changed since the preview' });
  }
  const pending = await db.selectFrom('package_moves').select(['bill_start_date']).where('source_account_package_id', '=', ctx.source.accountPackageId).where('state', '=', 'scheduled').executeTakeFirst();
  if (pending) throw new ApiError('refused', `A move of this package is already scheduled for ${pending.bill_start_date}; cancel it first.`, { accountPackageId: 'Move already scheduled' });
  const row = {
    subscription_id: ctx.subscriptionId,
    source_account_package_id: ctx.source.accountPackageId,
    source_package_name: ctx.source.packageName,
    target_package_id: ctx.target.packageId,
    target_package_name: ctx.target.name,
    bill_start_date: ctx.moveDate,
    bill_one_time: input.billOneTime ? 1 : 0,
    waive_fee_reason: input.waiveFeeReason,
    figures: JSON.stringify(preview),
    fingerprint: preview.fingerprint,
    net_cents: preview.netCents,
    created_at: now.toISOString(),
    created_by_name: actor.name,
  };
  if (plan.scheduled) {
    const { id } = await db.insertInto('package_moves').values({ ...row, state: 'scheduled', outcome: null }).returning('id').executeTakeFirstOrThrow();
    return { move: await getMove(db, id), creditMemoNumbers: [], invoiceId: null };
  }
  const done = await carryOut(db, ctx, plan, actor, now);
  const { id } = await db
    .insertInto('package_moves')
    .values({ ...row, state: 'applied', target_account_package_id: done.targetAccountPackageId, applied_at: now.toISOString(), outcome: `carried out ${longDate(today)} by ${actor.name}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { move: await getMove(db, id), creditMemoNumbers: done.creditMemoNumbers, invoiceId: done.invoiceId };
}

async function carryOut(db: Db, ctx: MoveContext, plan: MovePlan, actor: Actor, now: Date): Promise<{ targetAccountPackageId: number; creditMemoNumbers: string[]; invoiceId: number | null }> {
  const M = ctx.moveDate;
  const stamp = now.toISOString();
  const contract = plan.contract;
  const target = await db
    .insertInto('account_packages')
    .values({
      subscription_id: ctx.subscriptionId,
      package_id: ctx.target.packageId,
      contract_id: contract.outcome === 'target' ? contract.target!.contractId : contract.outcome === 'source' ? contract.source!.contractId : null,
      contract_start_date: contract.outcome === 'source' ? contract.source!.startDate : null,
      start_date: M,
      end_date: null,
      created_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // Credits first: they cut or remove lines of the old package before the new ones are written.
  const reason = `Moved from ${ctx.source.packageName} to ${ctx.target.name} on ${longDate(M)}: unused days credited`;
  const creditMemoNumbers = await writeCredits(db, ctx.subscriptionId, plan.credits, reason, ctx.today, actor, now);

  // The services keep their rows: login, password, MACs, addresses, devices and history stay on them.
  for (const m of plan.moved) {
    // writeService checks and writes the plan and its options; which package holds the service is ours to set.
    await db.updateTable('services').set({ account_package_id: target.id, package_product_id: m.product.id }).where('id', '=', m.serviceId).execute();
    await writeService(db, m.serviceId, { accountPackageId: target.id, packageProductId: m.product.id, planId: m.product.planId!, description: m.description, priceCents: m.priceCents, payPeriodMonths: m.product.payPeriodMonths, startDate: M }, now);
    await db.deleteFrom('service_profile_answers').where('service_id', '=', m.serviceId).execute();
    if (m.answers.length > 0) await db.insertInto('service_profile_answers').values(m.answers.map((a) => ({ service_id: m.serviceId, question_id: a.questionId, answer: a.answer }))).execute();
  }
  const addedIds: number[] = [];
  for (const p of plan.added) {
    const { id } = await db
      .insertInto('services')
      .values({
        subscription_id: ctx.subscriptionId,
        account_package_id: target.id,
        package_product_id: p.id,
        plan_id: p.planId!,
        description: p.name,
        quantity: String(p.minQuantity ?? 1),
        unit: p.unit,
        price_cents: p.priceCents,
        pay_period_months: p.payPeriodMonths,
        rating_method: p.ratingMethod,
        start_date: M,
        end_date: null,
        status: 'Active',
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    addedIds.push(id);
  }
  const invoiceId = await writeCharges(db, ctx.subscriptionId, plan.charges, (c) => ({
    serviceId: c.serviceId ?? (c.addedIndex !== null ? addedIds[c.addedIndex]! : null),
    accountPackageId: c.onTarget ? target.id : ctx.source.accountPackageId,
  }), now);

  if (contract.earlyFeeCents > 0 && contract.source) {
    const charge = contract.waived ? null : await db.selectFrom('charges').select('id').where('invoice_id', '=', invoiceId!).where('kind', '=', 'manual').where('description', '=', `Early cancellation fee: ${contract.source.name}`).orderBy('id', 'desc').executeTakeFirst();
    await db
      .insertInto('contract_fees')
      .values({
        subscription_id: ctx.subscriptionId,
        account_package_id: ctx.source.accountPackageId,
        contract_id: contract.source.contractId,
        contract_name: contract.source.name,
        fee_cents: contract.earlyFeeCents,
        occasion: 'move',
        waived_reason: contract.waived ? ctx.waiveReason : null,
        charge_id: charge?.id ?? null,
        decided_on: ctx.today,
        created_at: stamp,
        created_by_name: actor.name,
      })
      .execute();
  }

  // The old package ends the day before the move; what stays on it (one-time products) ends with it.
  const lastDay = addDays(M, -1);
  await db.updateTable('account_packages').set({ end_date: lastDay }).where('id', '=', ctx.source.accountPackageId).execute();
  await db
    .updateTable('services')
    .set({ end_date: lastDay, updated_at: stamp })
    .where('account_package_id', '=', ctx.source.accountPackageId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', lastDay)]))
    .execute();
  return { targetAccountPackageId: target.id, creditMemoNumbers, invoiceId };
}

/**
 * Carries out every scheduled move dated `today` or earlier, oldest first (catching up days the app
 * was closed). One that can no longer apply (a service without a home now, the package ended) is
 * cancelled with the reason instead of blocking the rest; a savepoint undoes its half.
 */
export async function applyDueMoves(db: Db, today: IsoDate, now: Date): Promise<{ applied: number; failed: number }> {
  const due = await db.selectFrom('package_moves').selectAll().where('state', '=', 'scheduled').where('bill_start_date', '<=', today).orderBy('bill_start_date').orderBy('id').execute();
  let applied = 0;
  let failed = 0;
  for (const m of due) {
    await sql`savepoint package_move`.execute(db);
    try {
      if (m.source_account_package_id === null) throw new ApiError('refused', 'The package was deleted');
      const input: MoveInput = { accountPackageId: m.source_account_package_id, targetPackageId: m.target_package_id, billStartDate: m.bill_start_date, billOneTime: m.bill_one_time === 1, waiveFeeReason: m.waive_fee_reason };
      const actor: Actor = { staffId: null, name: `${m.created_by_name} (scheduled)` };
      const ctx = await moveContext(db, input, today);
      const plan = planMove(ctx);
      if (plan.refusals.length > 0) throw new ApiError('refused', plan.refusals.map((r) => r.reason).join('; '));
      const preview = toPreview(ctx, plan, input);
      const done = await carryOut(db, ctx, plan, actor, now);
      const previewed = (JSON.parse(m.figures) as Preview).netCents;
      await db
        .updateTable('package_moves')
        .set({
          state: 'applied',
          applied_at: now.toISOString(),
          target_account_package_id: done.targetAccountPackageId,
          figures: JSON.stringify(preview),
          fingerprint: preview.fingerprint,
          net_cents: preview.netCents,
          outcome: `carried out by the scheduler on ${longDate(today)}${preview.netCents === previewed ? '' : `; the net effect changed from ${previewed} to ${preview.netCents} cents since it was scheduled (billing in between)`}`,
        })
        .where('id', '=', m.id)
        .execute();
      await sql`release package_move`.execute(db);
      applied += 1;
    } catch (error) {
      await sql`rollback to package_move`.execute(db);
      await sql`release package_move`.execute(db);
      if (!(error instanceof ApiError)) throw error;
      await db.updateTable('package_moves').set({ state: 'cancelled', outcome: `Could not be carried out on ${today}: ${error.message}` }).where('id', '=', m.id).execute();
      failed += 1;
    }
  }
  return { applied, failed };
}

/** At back-end start: the moves that fell due while the app was closed, in one transaction. */
export async function catchUpPackageMoves(db: Db, now: Date): Promise<{ applied: number; failed: number }> {
  return db.transaction().execute((trx) => applyDueMoves(trx, dayOf(now), now));
}

/** Server mode: carries out due moves every `intervalMs` (hourly by default) while the back end runs. */
export function startPackageMoveScheduler(backend: { datastore: { db: Db } }, options: { intervalMs?: number; now?: () => Date } = {}): { stop(): Promise<void> } {
  const clock = options.now ?? (() => new Date());
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = catchUpPackageMoves(backend.datastore.db, clock()).catch((error: unknown) => console.error('[towerline] scheduled package moves failed', error));
  };
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
