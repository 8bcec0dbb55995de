import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** The services of the subscription a dunning state row concerns, queued for their routers. */
const queueServicesOf = (row: 'new' | 'old', reason: string) => `
      insert into network_outbox (router_id, service_id, reason)
        select s.router_id, s.id, 'Subscription ' || sub.unique_id || ' ${reason}'
        from services s join subscriptions sub on sub.id = s.subscription_id
        where s.subscription_id = ${row}.subscription_id and s.router_id is not null and s.status <> 'Archived';`;

/**
 * The dunning throttle reaches the routers: a subscription entering or leaving the throttle stage,
 * or a new throttle rate, queues its services in the network outbox (migration 0600), in the same
 * transaction as the change, like every other write that changes what a router must hold.
 */
export const migration: Migration = {
  id: '1200-dunning-throttle-outbox',
  steps: () => [
    sql.raw(`create trigger network_outbox_dunning_insert after insert on dunning_states when new.stage = 'throttle' begin${queueServicesOf('new', 'throttled for non-payment')}
    end`),
    sql.raw(`create trigger network_outbox_dunning_update after update of stage on dunning_states
      when (old.stage = 'throttle') <> (new.stage = 'throttle') begin${queueServicesOf('new', "' || case when new.stage = 'throttle' then 'throttled for non-payment' else 'no longer throttled' end || '")}
    end`),
    sql.raw(`create trigger network_outbox_dunning_delete after delete on dunning_states when old.stage = 'throttle' begin${queueServicesOf('old', 'no longer throttled')}
    end`),
    sql.raw(`create trigger network_outbox_throttle_rate after update of throttle_rate on dunning_settings when old.throttle_rate is not new.throttle_rate begin
      insert into network_outbox (router_id, service_id, reason)
        select s.router_id, s.id, 'Dunning throttle rate changed'
        from dunning_states d join services s on s.subscription_id = d.subscription_id
        where d.stage = 'throttle' and s.router_id is not null and s.status <> 'Archived';
    end`),
  ],
};
