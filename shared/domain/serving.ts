import type { SubscriptionStatus } from './subscription-status';

/**
 * Who the network serves: one rule for the reconciler (desired state), the RADIUS server and
 * every screen that shows a service's network state.
 *
 * - `serve`: an Active service of an Active subscription gets its plan.
 * - `suspend`: the subscription is Suspended (non-payment or by hand): the walled garden
 *   (address list `towerline-suspended`) or a RADIUS reject, per setting.
 * - `block`: the service is Stopped or Disabled, or the subscription is Inactive: not served;
 *   routers keep the login but in the `towerline-suspended` address list.
 * - `none`: nothing on the network (Archived or Pending services, closed subscriptions).
 */
export type Serving = 'serve' | 'suspend' | 'block' | 'none';

/** The statuses a subscriber service can have (mirrors SERVICE_STATUSES in the contract). */
export type ServiceStatusName = 'Active' | 'Disabled' | 'Stopped' | 'Pending' | 'Archived';

export function servingOf(serviceStatus: ServiceStatusName, subscriptionStatus: SubscriptionStatus): Serving {
  if (serviceStatus === 'Archived' || serviceStatus === 'Pending') return 'none';
  if (subscriptionStatus === 'Cancelled' || subscriptionStatus === 'Completed') return 'none';
  if (subscriptionStatus === 'Suspended') return 'suspend';
  if (subscriptionStatus === 'Inactive') return 'block';
  return serviceStatus === 'Active' ? 'serve' : 'block';
}

/** Addresses of subscribers not to be served are listed here on every router. */
export const SUSPENDED_ADDRESS_LIST = 'towerline-suspended';
