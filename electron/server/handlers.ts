import type { AllHandlers } from './api/handlers';
import { billingHandlers } from './billing/procedures';
import { catalogHandlers } from './catalog/procedures';
import { networkHandlers } from './network/procedures';
import { serviceHandlers } from './services/procedures';
import { subscriberHandlers } from './subscribers/procedures';

/** Every area's handlers; the compiler checks this covers the whole contract. */
export const handlers: AllHandlers = {
  ...subscriberHandlers,
  ...catalogHandlers,
  ...serviceHandlers,
  ...networkHandlers,
  ...billingHandlers,
};
