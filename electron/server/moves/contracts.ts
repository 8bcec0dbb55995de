/**
 * Contracts that bind (DOMAIN.md, "Contract binding"): ending the package or cancelling the
 * subscription before the term ends charges the early-cancellation fee once, unless staff waive it
 * with a reason; either way the decision is recorded (contract_fees) and the contract binds no more.
 */
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { subscriptionContract } from '../../../shared/api/moves';
import { cents } from '../../../shared/domain/money';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { updateAccountPackage } from '../billing/account-packages';
import { addDays, compareDates, longDate, type IsoDate } from '../billing/rules/dates';
import { dayOf } from '../billing/settings';
import { contractOf } from './context';
import { earlyFee, termEnd } from './rules/contract';
import { writeCharges } from './write';

type SubscriptionContract = z.output<typeof subscriptionContract>;

export async function subscriptionContracts(db: Db, subscriptionId: number, now: Date): Promise<SubscriptionContract[]> {
  const today = dayOf(now);
  const aps = await db
    .selectFrom('account_packages as ap')
    .innerJoin('packages as p', 'p.id', 'ap.package_id')
    .select(['ap.id', 'p.name', 'ap.end_date'])
    .where('ap.subscription_id', '=', subscriptionId)
    .where('ap.contract_id', 'is not', null)
    .orderBy('ap.start_date', 'desc')
    .orderBy('ap.id', 'desc')
    .execute();
  const out: SubscriptionContract[] = [];
  for (const ap of aps) {
    const c = await contractOf(db, ap.id);
    if (!c) continue;
    const decided = await db.selectFrom('contract_fees').select(['fee_cents', 'waived_reason', 'occasion', 'decided_on']).where('account_package_id', '=', ap.id).executeTakeFirst();
    const ended = ap.end_date !== null && compareDates(ap.end_date as IsoDate, today) < 0;
    out.push({
      accountPackageId: ap.id,
      packageName: ap.name,
      contractId: c.contractId,
      contractName: c.name,
      startDate: c.startDate,
      termEndDate: termEnd(c),
      feeCents: c.feeCents,
      feeTodayCents: decided || ended ? 0 : earlyFee(c, addDays(today, 1)),
      decided: decided ? { feeCents: decided.fee_cents, waivedReason: decided.waived_reason, occasion: decided.occasion, decidedOn: decided.decided_on } : null,
    });
  }
  return out;
}

/**
 * The fee for a contract that stops binding with `lastDay` as its last day, charged (or waived)
 * once; nothing when the term is over, the contract has no fee, or the fee was already decided.
 */
export async function settleContractFee(db: Db, accountPackageId: number, lastDay: IsoDate, occasion: 'package ended' | 'subscription cancelled', waiveReason: string | null, actor: Actor, now: Date): Promise<{ feeCents: number; waived: boolean }> {
  const c = await contractOf(db, accountPackageId);
  if (!c) return { feeCents: 0, waived: false };
  const decided = await db.selectFrom('contract_fees').select('id').where('account_package_id', '=', accountPackageId).executeTakeFirst();
  if (decided) return { feeCents: 0, waived: false };
  const fee = earlyFee(c, addDays(lastDay, 1));
  if (fee === 0) return { feeCents: 0, waived: false };
  const ap = await db.selectFrom('account_packages').select(['subscription_id']).where('id', '=', accountPackageId).executeTakeFirstOrThrow();
  let chargeId: number | null = null;
  if (waiveReason === null) {
    const description = `Early cancellation fee: ${c.name}`;
    const invoiceId = await writeCharges(
      db,
      ap.subscription_id,
      [
        {
          kind: 'contract-fee',
          serviceId: null,
          addedIndex: null,
          productId: null,
          planId: null,
          onTarget: false,
          description,
          explanation: `${c.name} ${occasion === 'package ended' ? 'ended' : 'cancelled'} with ${longDate(lastDay)} as its last day, before its term (${longDate(addDays(termEnd(c), -1))}): ${fee} cents`,
          periodStart: dayOf(now),
          periodEnd: null,
          quantity: '1',
          unitPrice: cents(fee),
          amount: cents(fee),
          taxRatePercent: null,
          tax: cents(0),
        },
      ],
      () => ({ serviceId: null, accountPackageId }),
      now,
    );
    const charge = await db.selectFrom('charges').select('id').where('invoice_id', '=', invoiceId!).where('description', '=', description).orderBy('id', 'desc').executeTakeFirstOrThrow();
    chargeId = charge.id;
  }
  await db
    .insertInto('contract_fees')
    .values({
      subscription_id: ap.subscription_id,
      account_package_id: accountPackageId,
      contract_id: c.contractId,
      contract_name: c.name,
      fee_cents: fee,
      occasion,
      waived_reason: waiveReason,
      charge_id: chargeId,
      decided_on: dayOf(now),
      created_at: now.toISOString(),
      created_by_name: actor.name,
    })
    .execute();
  return { feeCents: fee, waived: waiveReason !== null };
}

export async function endAccountPackage(db: Db, input: { id: number; endDate: string; waiveFeeReason: string | null }, actor: Actor, now: Date) {
  const ap = await db.selectFrom('account_packages').select(['id', 'start_date']).where('id', '=', input.id).executeTakeFirst();
  if (!ap) throw new ApiError('not_found', `Account package ${input.id} does not exist.`);
  if (input.endDate < ap.start_date) throw fieldError('endDate', 'Before the start date');
  await updateAccountPackage(db, input.id, { endDate: input.endDate as IsoDate }, actor, now);
  const fee = await settleContractFee(db, input.id, input.endDate as IsoDate, 'package ended', input.waiveFeeReason, actor, now);
  return { accountPackageId: input.id, endDate: input.endDate, feeCents: fee.feeCents, waived: fee.waived };
}

/** A cancelled subscription's contracts in term: their fees (or their waiver, with its reason), as of the day it was cancelled. */
export async function settleFeesOnCancel(db: Db, subscriptionId: number, waiveReason: string | null, actor: Actor, now: Date): Promise<void> {
  const today = dayOf(now);
  const aps = await db
    .selectFrom('account_packages')
    .select('id')
    .where('subscription_id', '=', subscriptionId)
    .where('contract_id', 'is not', null)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .execute();
  for (const ap of aps) await settleContractFee(db, ap.id, today, 'subscription cancelled', waiveReason, actor, now);
}
