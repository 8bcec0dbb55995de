import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Lists the live services of the subscription a dunning state row concerns. */
const listServicesOf = (row: 'new' | 'old') => `
      insert into radius_login_changes (service_id)
        select id from services where subscription_id = ${row}.subscription_id and status <> 'Archived';`;

/**
 * The built-in RADIUS server re-reads only the services listed in radius_login_changes (migration
 * 1300). Dunning's throttle stage and throttle rate change the answer too (a throttled
 * subscriber gets the throttle rate), so they list the subscription's services as well.
 */
export const migration: Migration = {
  id: '1960-radius-login-changes-follow-dunning',
  steps: () => [
    sql.raw(`create trigger radius_login_changes_dunning_insert after insert on dunning_states when new.stage = 'throttle' begin${listServicesOf('new')}
    end`),
    sql.raw(`create trigger radius_login_changes_dunning_update after update of stage on dunning_states
      when (old.stage = 'throttle') <> (new.stage = 'throttle') begin${listServicesOf('new')}
    end`),
    sql.raw(`create trigger radius_login_changes_dunning_delete after delete on dunning_states when old.stage = 'throttle' begin${listServicesOf('old')}
    end`),
    sql.raw(`create trigger radius_login_changes_throttle_rate after update of throttle_rate on dunning_settings when old.throttle_rate is not new.throttle_rate begin
      insert into radius_login_changes (service_id)
        select s.id from dunning_states d join services s on s.subscription_id = d.subscription_id
        where d.stage = 'throttle' and s.status <> 'Archived';
    end`),
  ],
};
