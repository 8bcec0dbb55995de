import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate, migrateTo } from '../electron/server/db/migrate';
import type { Database } from '../electron/server/db/schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 2150', () => {
  it('marks only suspensions that begin under pause, and none from before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m2150-'));
    dirs.push(dir);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(dir, 'db.sqlite')) }) });
    await migrateTo(db, migrations, '1960-radius-login-changes-follow-dunning');
    const stamp = '2026-11-01T09:00:00.000Z';
    await sql`insert into staff (id, name, role, created_at) values (1, 'Carol Haines', 'Engineer', ${stamp})`.execute(db);
    await sql`insert into contacts (id, first_name, last_name, created_at, updated_at) values (1, 'Ada', 'Tester', ${stamp}, ${stamp})`.execute(db);
    await sql`insert into subscriptions (id, unique_id, contact_id, name, status, engineer_id, contact_sort_name, engineer_sort_name, created_at, updated_at)
      values (7, 'S-7', 1, 'Home', 'Active', 1, 'tester ada', 'haines carol', ${stamp}, ${stamp})`.execute(db);
    const change = (to: string) =>
      db.insertInto('subscription_status_changes').values({ subscription_id: 7, from_status: 'Active', to_status: to, changed_at: '2026-11-01T09:00:00.000Z', changed_by_name: 'Carol Haines' }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('billing_settings').set({ while_suspended: 'pause' }).execute();
    await change('Suspended'); // before the migration: its billing was never paused
    const report = await migrate(db, migrations);
    expect(report.applied).toContain('2150-paused-suspensions');
    const paused = await change('Suspended');
    await change('Active');
    await db.updateTable('billing_settings').set({ while_suspended: 'keep' }).execute();
    await change('Suspended');
    expect(await db.selectFrom('paused_suspensions').selectAll().execute()).toEqual([{ status_change_id: paused.id, subscription_id: 7 }]);
    await db.destroy();
  });
});
