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

describe('migration 0640', () => {
  it('applies over the previous version with default settings, and keeps one session per NAS, session id and login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'towerline-m0640-'));
    dirs.push(dir);
    const sqlite = new BetterSqlite3(join(dir, 'db.sqlite'));
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      await migrateTo(db, migrations, '0410-invoices-open-by-subscription');
      const report = await migrate(db, migrations);
      expect(report.applied).toContain('0640-radius-settings-and-sessions');
      expect(await db.selectFrom('radius_settings').select(['suspended_answer', 'require_message_authenticator', 'coa_port']).execute()).toEqual([
        { suspended_answer: 'address-list', require_message_authenticator: 1, coa_port: 3799 },
      ]);
      await expect(db.insertInto('radius_settings').values({ id: 2, suspended_answer: 'reject', require_message_authenticator: 1, coa_port: 3799, updated_at: 'x' }).execute()).rejects.toThrow(/CHECK/);
      const row = { nas_address: '10.0.0.1', acct_session_id: 'a1', login: 'alice', started_at: 't', updated_at: 't' };
      await db.insertInto('radius_sessions').values(row).execute();
      await expect(db.insertInto('radius_sessions').values(row).execute()).rejects.toThrow(/UNIQUE/);
      await db.insertInto('radius_sessions').values({ ...row, login: 'bob' }).execute();
    } finally {
      await db.destroy();
    }
  });
});
