/**
 * Crash test: the billing run is killed by SIGKILL at many points (after a random number of
 * committed batches, or after a random delay), then run to completion. Every subscription must end
 * exactly as billed by a run that was never interrupted: per-subscription charge counts and sums,
 * invoices, and their totals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, createBackend } from '../../electron/server/backend';
import { seededRandom } from '../../electron/server/demo/random';
import type { IsoDate } from '../../shared/domain/types';
import { seedBillingData } from '../crash/seed';

const AS_OF = '2026-11-14' as IsoDate;
const SUBSCRIPTIONS = 1000;
const BATCH = 25;
const KILLS = 8;

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'towerline-crash-'));
  const seeded = join(root, 'seeded');
  const backend = await createBackend({ dataDir: seeded });
  await seedBillingData(backend.datastore.db, SUBSCRIPTIONS, AS_OF);
  await backend.close(); // checkpoints the WAL, so the file alone is the whole datastore
  for (const copy of ['killed', 'reference']) {
    mkdirSync(join(root, copy));
    copyFileSync(join(seeded, DATABASE_FILE), join(root, copy, DATABASE_FILE));
    copyFileSync(join(seeded, 'secret.key'), join(root, copy, 'secret.key'));
  }
}, 60_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function child(dataDir: string): { proc: ChildProcess; lines: string[]; onLine: (f: (line: string) => void) => void; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/crash/billing-child.ts', dataDir, AS_OF, String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const l of listeners) l(line);
    }
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { proc, lines, onLine: (f) => listeners.push(f), exited };
}

async function perSubscription(dataDir: string) {
  const backend = await createBackend({ dataDir });
  try {
    const db = backend.datastore.db;
    const charges = await db
      .selectFrom('charges')
      .select(['subscription_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_cents').as('amount'), (eb) => eb.fn.sum<number>('tax_cents').as('tax')])
      .groupBy('subscription_id')
      .orderBy('subscription_id')
      .execute();
    const invoices = await db
      .selectFrom('invoices')
      .select(['subscription_id', 'subtotal_cents', 'tax_cents', 'total_cents', 'status'])
      .orderBy('subscription_id')
      .execute();
    const runs = await db.selectFrom('billing_runs').select(['status', 'done', 'total', 'charges_created']).orderBy('id').execute();
    const chargeTotal = await db.selectFrom('charges').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_cents').as('amount')]).executeTakeFirstOrThrow();
    return { charges, invoices, runs, chargeTotal };
  } finally {
    await backend.close();
  }
}

describe('billing run killed at random points', () => {
  it('ends with exactly the charges and invoices of a run that was never interrupted', async () => {
    const started = Date.now();
    const reference = child(join(root, 'reference'));
    expect(await reference.exited).toBe(0);
    const lifetime = Date.now() - started; // bounds the random-delay kills: a fast run would often finish first
    const expected = await perSubscription(join(root, 'reference'));
    expect(expected.chargeTotal.n).toBeGreaterThan(SUBSCRIPTIONS);

    const rng = seededRandom(Date.now() % 100_000);
    const batches = Math.ceil(SUBSCRIPTIONS / BATCH);
    let killed = 0;
    for (let k = 0; k < KILLS; k++) {
      const victim = child(join(root, 'killed'));
      if (k % 2 === 0) {
        // After a random number of committed batches (the kill lands somewhere inside the next one).
        const after = rng.int(1, Math.max(1, Math.floor(batches / 3)));
        let seen = 0;
        victim.onLine((line) => {
          if (line.startsWith('progress') && ++seen === after) victim.proc.kill('SIGKILL');
        });
      } else {
        // After a random delay: anywhere, start-up and migrations included.
        setTimeout(() => victim.proc.kill('SIGKILL'), rng.int(300, Math.max(300, Math.min(2500, Math.floor(lifetime * 0.75)))));
      }
      const code = await victim.exited;
      if (code === null) killed++;
      if (victim.lines.some((l) => l.startsWith('finished'))) break;
    }
    expect(killed).toBeGreaterThanOrEqual(3);

    const last = child(join(root, 'killed'));
    expect(await last.exited).toBe(0);
    const actual = await perSubscription(join(root, 'killed'));
    expect(actual.chargeTotal).toEqual(expected.chargeTotal);
    expect(actual.charges).toEqual(expected.charges);
    expect(actual.invoices).toEqual(expected.invoices);
    expect(actual.runs.at(-1)).toMatchObject({ status: 'completed' });
    expect(actual.runs.filter((r) => r.status === 'interrupted').length).toBeGreaterThanOrEqual(1);
    // Every run's recorded work adds up to what was billed: progress rows commit with their batches.
    expect(actual.runs.reduce((s, r) => s + r.charges_created, 0)).toBe(expected.chargeTotal.n);
  }, 90_000);
});
