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
  const dir = mkdtempSync(join(tmpdir(), 'towerline-m0500-'));
  dirs.push(dir);
  const sqlite = new BetterSqlite3(join(dir, 'db.sqlite'));
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

describe('migration 0500', () => {
  it('opens a datastore already holding logins that differ only by case, and refuses any new clash', async () => {
    const db = database();
    await migrateTo(db, migrations, '0410-invoices-open-by-subscription');
    const stamp = '2026-12-02T09:00:00.000Z';
    const { id: staffId } = await db.insertInto('staff').values({ name: 'Dana', role: 'Engineer', created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const { id: contactId } = await db.insertInto('contacts').values({ first_name: 'Ada', last_name: 'Olsen', created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const { id: subscriptionId } = await db
      .insertInto('subscriptions')
      .values({ unique_id: 'S-000001', contact_id: contactId, name: 'Olsen', status: 'Active', engineer_id: staffId, contact_sort_name: 'olsen ada', engineer_sort_name: 'dana', created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: planId } = await db.insertInto('plans').values({ kind: 'Internet', name: 'W25', price_cents: 4500, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const service = { subscription_id: subscriptionId, plan_id: planId, description: 'W25', pay_period_months: 1, start_date: '2026-11-01', status: 'Active', created_at: stamp, updated_at: stamp };
    await db.insertInto('services').values({ ...service, login: 'alice' }).execute();
    const { id: upper } = await db.insertInto('services').values({ ...service, login: 'ALICE' }).returning('id').executeTakeFirstOrThrow();

    // 0500 first; the later migrations follow it.
    expect((await migrate(db, migrations)).applied[0]).toBe('0500-logins-unique-ignoring-case');
    // The clash written before stays readable and editable in other fields; no third spelling gets in.
    await db.updateTable('services').set({ description: 'Still here' }).where('id', '=', upper).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'Alice' }).execute()).rejects.toThrow(/conflict:login:/);
    await expect(db.updateTable('services').set({ login: 'aLiCe' }).where('id', '=', upper).execute()).rejects.toThrow(/conflict:login:/);
    const { id: hotspotPlanId } = await db.insertInto('hotspot_plans').values({ name: 'Day', validity_days: 1, price_cents: 500, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
    const guest = { subscription_id: subscriptionId, hotspot_plan_id: hotspotPlanId, kind: 'login', status: 'Active', created_at: stamp, updated_at: stamp };
    await expect(db.insertInto('hotspot_users').values({ ...guest, login: 'ALICE' }).execute()).rejects.toThrow(/conflict:login:/);
    await db.insertInto('hotspot_users').values({ ...guest, login: 'bob' }).execute();
    await expect(db.insertInto('services').values({ ...service, login: 'BOB' }).execute()).rejects.toThrow(/conflict:login:/);
    // Archived services hold no login.
    await db.insertInto('services').values({ ...service, login: 'Bob', status: 'Archived' }).execute();
    await db.destroy();
  });
});
