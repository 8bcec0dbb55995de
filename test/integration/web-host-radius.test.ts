import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPorts } from '../peers/ports';
import { radclient } from '../radius/peers';

/**
 * `npm run web -- --radius-auth-port N --radius-acct-port M` (the web host's CLI, run as a child
 * process with its own data directory and free ports) runs the built-in RADIUS server and the
 * jobs beside the app: radclient gets its answer for a service created through the web API.
 */
const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const cli = join(root, 'electron', 'host', 'web', 'cli.ts');
const token = 'web-radius-token';
const SECRET = 'web-host-radius-secret';

let dataDir: string;
let child: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let baseUrl: string;
let authPort: number;
let acctPort: number;

async function api<T>(procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}api/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${procedure} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Web host output:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'towerline-web-radius-'));
  [authPort, acctPort] = (await freeUdpPorts(2)) as [number, number];
  child = spawn(tsx, [cli, '--data-dir', dataDir, '--port', '0', '--no-build', '--radius-host', '127.0.0.1', '--radius-auth-port', String(authPort), '--radius-acct-port', String(acctPort)], {
    cwd: root,
    env: { ...process.env, TOWERLINE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  exited = new Promise((ok) => child.once('exit', (code) => ok(code)));
  baseUrl = await until(() => /Open (http:\/\/127\.0\.0\.1:\d+\/)\?token=/.exec(output)?.[1], 'the web host to listen', 90_000);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the web host with --radius-* flags', () => {
  it('says it runs RADIUS on the given ports and reports the server listening', async () => {
    expect(output).toContain(`RADIUS and jobs run here: RADIUS 127.0.0.1 auth ${authPort}, acct ${acctPort}`);
    const status = await until(async () => {
      const s = await api<{ listening: boolean; authPort: number | null; acctPort: number | null }>('radius.status', {});
      return s.listening ? s : undefined;
    }, 'radius.status to say listening');
    expect(status).toMatchObject({ listening: true, authPort, acctPort });
  });

  it('answers radclient for a service created through the web API, and drops a wrong secret', async () => {
    await api('routers.create', { name: 'Loopback tower', address: '127.0.0.1', vendor: 'MikroTik RouterOS', radiusSecret: SECRET });
    const staff = await api<{ id: number }>('staff.create', { name: 'Web Office', role: 'Engineer' });
    const contact = await api<{ id: number }>('contacts.create', { firstName: 'Wendy', lastName: 'Web' });
    const sub = await api<{ id: number }>('subscriptions.create', { name: 'Web host RADIUS', contactId: contact.id, engineerId: staff.id });
    const plan = await api<{ id: number }>('plans.create', { kind: 'Internet', name: 'Fiber 100', priceCents: 6000, payPeriodMonths: 1, downloadKbps: 100_000, uploadKbps: 20_000, qosMode: 'RADIUS rate limit', accessTechnology: 'fiber' });
    await api('services.create', { subscriptionId: sub.id, planId: plan.id, startDate: '2026-11-01', login: 'wendy', password: 'wendy-pw' });

    const lines = ['User-Name = wendy', 'User-Password = wendy-pw', 'NAS-IP-Address = 127.0.0.1', 'Message-Authenticator = 0x00'];
    // The server picks a new router up at the next packet after the commit; allow it a moment.
    const accepted = await until(async () => {
      const r = await radclient(authPort, 'auth', SECRET, lines);
      return r.reply === 'Access-Accept' ? r : undefined;
    }, 'an Access-Accept', 20_000);
    expect(accepted.attributes['Mikrotik-Rate-Limit']).toBe('20M/100M');

    expect((await radclient(authPort, 'auth', SECRET, ['User-Name = wendy', 'User-Password = wrong', 'Message-Authenticator = 0x00'])).reply).toBe('Access-Reject');
    expect((await radclient(authPort, 'auth', 'not-the-secret', lines, { retries: 1, timeoutS: 1 })).reply).toBeNull();
  }, 60_000);

  it('stops the RADIUS server and jobs on SIGTERM and exits 0', async () => {
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
    expect((await radclient(authPort, 'auth', SECRET, ['User-Name = wendy', 'User-Password = wendy-pw', 'Message-Authenticator = 0x00'], { retries: 1, timeoutS: 1 })).reply).toBeNull();
  });
});
