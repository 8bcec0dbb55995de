import type { AllHandlers } from './api/handlers';
import { backupHandlers } from './backup/procedures';
import { billingHandlers } from './billing/procedures';
import { catalogHandlers } from './catalog/procedures';
import { ioHandlers } from './io/procedures';
import { dunningHandlers } from './dunning/procedures';
import { networkHandlers } from './network/procedures';
import { networkSyncHandlers } from './network/sync-procedures';
import { freeradiusHandlers } from './network/freeradius/procedures';
import { backgroundHandlers } from './platform/background-settings';
import { radiusHandlers } from './network/radius/procedures';
import { serviceHandlers } from './services/procedures';
import { subscriberHandlers } from './subscribers/procedures';
import { refuseEndAfterCredit, settleServiceEnds } from './billing/service-ends';
import type { IsoDate } from '../../shared/domain/types';
import { movesHandlers } from './moves/procedures';
import { hotspotHandlers } from './hotspot/procedures';
import { changePlanProrated } from './moves/plan-change';
import { usageHandlers } from './usage/procedures';
import { settleContractFee, settleFeesOnCancel, subscriptionContracts } from './moves/contracts';
import { dashboardHandlers } from './dashboard/procedures';

/** Every area's handlers; the compiler checks this covers the whole contract. */
export const handlers: AllHandlers = {
  ...subscriberHandlers,
  ...catalogHandlers,
  ...serviceHandlers,
  ...networkHandlers,
  ...billingHandlers,
  ...networkSyncHandlers,
  ...freeradiusHandlers,
  ...backgroundHandlers,
  ...backupHandlers,
  ...ioHandlers,
  ...radiusHandlers,
  ...dunningHandlers,
  ...usageHandlers,
  ...hotspotHandlers,
  ...dashboardHandlers,
  // An end date set on a service already billed past it settles those days (billing/service-ends.ts).
  'services.update': async (input, context) => {
    if (input.endDate !== undefined) await refuseEndAfterCredit(context.db, input.id, (input.endDate ?? null) as IsoDate | null);
    const service = await serviceHandlers['services.update'](input, context);
    if (input.endDate) await settleServiceEnds(context.db, [input.id], context.actor, context.now());
    return service;
  },
  ...movesHandlers,
  // A plan change mid-period is prorated: unused old days credited, the new plan charged (moves/plan-change.ts).
  'services.changePlan': (input, { db, actor, now }) => changePlanProrated(db, input, actor, now()),
  // Ending a package before its contract's term charges the early-cancellation fee (moves/contracts.ts;
  // accountPackages.end can waive it with a reason).
  'accountPackages.update': async (input, context) => {
    const ap = await billingHandlers['accountPackages.update'](input, context);
    if (input.endDate) await settleContractFee(context.db, input.id, input.endDate as IsoDate, 'package ended', null, context.actor, context.now());
    return ap;
  },
  // Cancelling the subscription charges the fees of contracts still in term, unless waived with a reason.
  'subscriptions.setStatus': async (input, context) => {
    // A waiver is written into the status change's reason too, so the history says why no fee was charged.
    const waiving = input.status === 'Cancelled' && input.waiveFeeReason ? (await subscriptionContracts(context.db, input.id, context.now())).filter((c) => c.feeTodayCents > 0) : [];
    const waiver = waiving.map((c) => `${c.contractName} early-cancellation fee waived: ${input.waiveFeeReason}`).join('; ');
    const sub = await subscriberHandlers['subscriptions.setStatus'](waiver ? { ...input, reason: input.reason ? `${input.reason} (${waiver})` : waiver } : input, context);
    if (input.status === 'Cancelled') await settleFeesOnCancel(context.db, input.id, input.waiveFeeReason ?? null, context.actor, context.now());
    return sub;
  },
};
