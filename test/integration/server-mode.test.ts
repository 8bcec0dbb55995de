import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPostgres, startPostgres } from '../peers/postgres';

/**
 * `npm run server` as a child process: its own data directory, random ports, the API with the
 * token, the FreeRADIUS job following changes made through the API, and a clean stop on SIGTERM.
 */
const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const cli = join(root, 'electron', 'host', 'server', 'cli.ts');
const token = 'server-mode-token';

let dataDir: string;
let child: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let baseUrl: string;
let pgServer: TestPostgres;

async function api<T>(procedure: string, input: unknown, auth = true): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}api/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Server output:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  pgServer = await startPostgres();
  dataDir = mkdtempSync(join(tmpdir(), 'towerline-server-'));
  child = spawn(tsx, [cli, '--data-dir', dataDir, '--port', '0', '--radius-auth-port', '0', '--radius-acct-port', '0'], {
    cwd: root,
    env: { ...process.env, TOWERLINE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  exited = new Promise((ok) => child.once('exit', (code) => ok(code)));
  baseUrl = await until(async () => /API listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 'the API to listen', 60_000);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await pgServer?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('server mode', () => {
  it('answers the API with the token and refuses it without', async () => {
    const list = await api<{ total: number }>('subscriptions.list', {});
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(0);
    expect((await api('subscriptions.list', {}, false)).status).toBe(401);
    expect(statSync(join(dataDir, 'towerline.sqlite')).size).toBeGreaterThan(0);
    expect(output).toMatch(/Job freeradius-sync: running/);
    expect(output).toMatch(/Job scheduled-changes: running/);
  });

  it('keeps FreeRADIUS\'s tables in step with changes made through the API, by itself', async () => {
    const settings = await api('freeradius.updateSettings', { enabled: true, host: pgServer.host, port: pgServer.port, database: pgServer.database, user: pgServer.user, password: pgServer.password });
    expect(settings.status).toBe(200);
    const staff = await api<{ id: number }>('staff.create', { name: 'Night Shift', role: 'Engineer' });
    const contact = await api<{ id: number }>('contacts.create', { firstName: 'Sam', lastName: 'Server' });
    const sub = await api<{ id: number }>('subscriptions.create', { name: 'Always on', contactId: contact.body.id, engineerId: staff.body.id });
    const plan = await api<{ id: number }>('plans.create', { kind: 'Internet', name: 'Fiber 100', priceCents: 6000, payPeriodMonths: 1, downloadKbps: 100_000, uploadKbps: 20_000, qosMode: 'RADIUS rate limit', accessTechnology: 'fiber' });
    const service = await api<{ id: number }>('services.create', { subscriptionId: sub.body.id, planId: plan.body.id, startDate: '2026-11-01', login: 'sam', password: 'sam-pw' });
    expect(service.status).toBe(200);

    const client = new pg.Client({ connectionString: pgServer.connectionString });
    await client.connect();
    try {
      const row = await until(async () => {
        const exists = await client.query(`select to_regclass('radcheck') as r`);
        if (!exists.rows[0].r) return undefined;
        const r = await client.query(`select value from radcheck where username = 'sam' and attribute = 'Cleartext-Password'`);
        return r.rows[0] as { value: string } | undefined;
      }, 'the service to reach PostgreSQL');
      expect(row.value).toBe('sam-pw');
      const rate = await client.query(`select value from radgroupreply where attribute = 'Mikrotik-Rate-Limit'`);
      expect(rate.rows).toEqual([{ value: '20M/100M' }]);
    } finally {
      await client.end();
    }
    const status = await api<{ lastError: string | null; lastResult: { users: number } | null }>('freeradius.status', {});
    expect(status.body.lastError).toBeNull();
  });

  it('stops cleanly on SIGTERM and exits 0', async () => {
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, output).toBe(0);
    expect(output).toMatch(/Stopped\./);
    // The datastore was closed properly: it opens again without recovery complaints.
    const check = spawnSync(tsx, ['-e', `import('${join(root, 'electron/server/db/open.ts')}').then(async (m) => { const d = await m.openDatastore('${join(dataDir, 'towerline.sqlite')}'); await d.close(); console.log('reopened'); })`], { cwd: root, encoding: 'utf8' });
    expect(check.stdout).toContain('reopened');
  });

  it('refuses a bad flag with a message naming it', () => {
    const r = spawnSync(tsx, [cli, '--data-dir', dataDir, '--radius-auth-port', 'radius'], { cwd: root, encoding: 'utf8', env: { ...process.env, TOWERLINE_TOKEN: token } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--radius-auth-port/);
  });
});
