import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '.';
import { migrate, migrateTo } from '../electron/server/db/migrate';
import type { Database } from '../electron/server/db/schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function database() {
  const dir = mkdtempSync(join(tmpdir(), 'towerline-m0300-'));
  dirs.push(dir);
  const sqlite = new BetterSqlite3(join(dir, 'db.sqlite'));
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

describe('migrations 0200, 0300 and 0340', () => {
  it('apply over a database with subscribers, which then take services with unique live logins', async () => {
    const db = database();
    await migrateTo(db, migrations, '0100-people-and-subscriptions');
    const stamp = '2026-11-23T09:00:00.000Z';
    const { id: staffId } = await db.insertInto('staff').values({ name: 'Dana', role: 'Engineer', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const { id: contactId } = await db.insertInto('contacts').values({ first_name: 'Ada', last_name: 'Olsen', created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const { id: subscriptionId } = await db
      .insertInto('subscriptions')
      .values({ unique_id: 'S-000001', contact_id: contactId, name: 'Olsen', status: 'Active', engineer_id: staffId, contact_sort_name: 'olsen ada', engineer_sort_name: 'dana', created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow();

    const report = await migrate(db, migrations);
    expect(report.applied).toEqual(expect.arrayContaining(['0200-catalog-plans-packages', '0300-subscriber-services', '0340-devices-and-hotspot']));

    const { id: planId } = await db.insertInto('plans').values({ kind: 'Internet', name: 'W25', price_cents: 4500, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const service = { subscription_id: subscriptionId, plan_id: planId, description: 'W25', pay_period_months: 1, start_date: '2026-11-01', login: 'olsen1', created_at: stamp, updated_at: stamp };
    await db.insertInto('services').values({ ...service, status: 'Active' }).execute();
    await expect(db.insertInto('services').values({ ...service, status: 'Pending' }).execute()).rejects.toThrow(/UNIQUE/);
    await db.insertInto('services').values({ ...service, status: 'Archived' }).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'x', status: 'Gone' }).execute()).rejects.toThrow(/CHECK/);
    await expect(db.insertInto('plans').values({ kind: 'Internet', name: 'Bad', price_cents: 1, pay_period_months: 2, created_at: stamp, updated_at: stamp }).execute()).rejects.toThrow(/CHECK/);
    await db.destroy();
  });
});
