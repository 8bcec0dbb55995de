import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/** Columns of `services` the RADIUS answer for a login depends on. */
const SERVICE_COLUMNS = ['login', 'password', 'status', 'subscription_id', 'plan_id', 'router_id', 'ipv4_assignment', 'ipv4_address', 'pool_network_id'];
const PLAN_COLUMNS = ['download_kbps', 'upload_kbps', 'burst_download_kbps', 'burst_upload_kbps', 'burst_threshold_percent', 'burst_time_seconds', 'priority'];
const changed = (columns: string[]) => columns.map((c) => `old.${c} is not new.${c}`).join(' or ');

/**
 * The services whose RADIUS answer may have changed, in commit order. The built-in RADIUS server
 * keeps every service login in memory and, when another connection has committed, re-reads only
 * the services listed here since it last looked (it prunes what it has read). Triggers fill it,
 * so no code path can change a login, password, status, address or speed without the server
 * hearing of it. AUTOINCREMENT: ids never go back, even after the table is emptied.
 */
export const migration: Migration = {
  id: '1300-radius-login-changes',
  steps: (db) => [
    db.schema
      .createTable('radius_login_changes')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('service_id', 'integer', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    sql.raw(`create trigger radius_login_changes_service_insert after insert on services begin
      insert into radius_login_changes (service_id) values (new.id);
    end`),
    sql.raw(`create trigger radius_login_changes_service_update after update of ${SERVICE_COLUMNS.join(', ')} on services when ${changed(SERVICE_COLUMNS)} begin
      insert into radius_login_changes (service_id) values (new.id);
    end`),
    sql.raw(`create trigger radius_login_changes_service_delete after delete on services begin
      insert into radius_login_changes (service_id) values (old.id);
    end`),
    sql.raw(`create trigger radius_login_changes_subscription_update after update of status, service_password on subscriptions
      when old.status is not new.status or old.service_password is not new.service_password begin
      insert into radius_login_changes (service_id) select id from services where subscription_id = new.id and status <> 'Archived';
    end`),
    sql.raw(`create trigger radius_login_changes_plan_update after update of ${PLAN_COLUMNS.join(', ')} on plans when ${changed(PLAN_COLUMNS)} begin
      insert into radius_login_changes (service_id) select id from services where plan_id = new.id and status <> 'Archived';
    end`),
  ],
};
