import type { AllHandlers } from './api/handlers';
import { subscriberHandlers } from './subscribers/procedures';

/** Every area's handlers; the compiler checks this covers the whole contract. */
export const handlers: AllHandlers = {
  ...subscriberHandlers,
};
