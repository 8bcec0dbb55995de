import type { AllHandlers } from './api/handlers';
import { billingHandlers } from './billing/procedures';
import { catalogHandlers } from './catalog/procedures';
import { dunningHandlers } from './dunning/procedures';
import { networkHandlers } from './network/procedures';
import { serviceHandlers } from './services/procedures';
import { subscriberHandlers } from './subscribers/procedures';
import { refuseEndAfterCredit, settleServiceEnds } from './billing/service-ends';
import type { IsoDate } from '../../shared/domain/types';

/** Every area's handlers; the compiler checks this covers the whole contract. */
export const handlers: AllHandlers = {
  ...subscriberHandlers,
  ...catalogHandlers,
  ...serviceHandlers,
  ...networkHandlers,
  ...billingHandlers,
  ...dunningHandlers,
  // An end date set on a service already billed past it settles those days (billing/service-ends.ts).
  'services.update': async (input, context) => {
    if (input.endDate !== undefined) await refuseEndAfterCredit(context.db, input.id, (input.endDate ?? null) as IsoDate | null);
    const service = await serviceHandlers['services.update'](input, context);
    if (input.endDate) await settleServiceEnds(context.db, [input.id], context.actor, context.now());
    return service;
  },
};
