/**
 * Delivers the CoA / Disconnect-Request outbox (migration 2050): triggers queue a request in the
 * same transaction as the change (a new speed, a suspension, a reactivation) for each service with
 * a live RADIUS session; this worker sends it to the NAS (coa.ts: retransmissions, ACK/NAK, the
 * RouterOS API fallback), logs what came back, and retries with backoff what did not reach every
 * session. The queue is in the datastore, so a restart picks up where it stopped.
 */
import type { Db } from '../../db/open';
import type { SecretBox } from '../../platform/secrets';
import type { Connect } from '../reconcile';
import { connectRouterOs } from '../routeros/client';
import { type DynamicResult, type SendOptions, sendCoa, sendDisconnect } from './coa';

export interface DynamicOutboxOptions {
  /** How often the outbox is looked at, ms (default one second). */
  pollMs?: number;
  /** Wait before the n-th retry: baseMs · 2^(n−1), at most maxMs. */
  backoff?: { baseMs: number; maxMs: number };
  /** Per request: tries and the first try's wait (coa.ts defaults: 3 tries, 1 s doubling). */
  send?: SendOptions;
  /** Requests sent at once (each may wait seconds for a silent NAS). */
  concurrency?: number;
  /** The API fallback's connection; default the RouterOS client. */
  connectRouter?: Connect;
  now?: () => Date;
  log?: (line: string) => void;
  /** Log entries older than this are pruned, days (default 90). */
  keepLogDays?: number;
}

export interface DynamicOutbox {
  /** Delivers what is due now instead of at the next poll; resolves when done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export interface DynamicOutboxHost {
  datastore: { db: Db };
  secrets: SecretBox;
}

export const DEFAULT_DYNAMIC_BACKOFF = { baseMs: 30_000, maxMs: 15 * 60_000 };

export function backoffDelay(attempts: number, backoff: { baseMs: number; maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

/** What one delivery got, in a line staff can read (the failed state's message). */
export function summarise(result: DynamicResult): string {
  const parts = result.sessions.map((s) => (s.outcome.ok ? `${s.nasAddress}: ACK` : `${s.nasAddress}: ${s.outcome.message}`));
  if (result.fallback.used) parts.push(result.fallback.error === null ? `API fallback removed ${result.fallback.removed} active session(s)` : `API fallback failed: ${result.fallback.error}`);
  return parts.join('; ') || 'No session to change';
}

interface Due {
  serviceId: number;
  lastId: number;
  kind: 'coa' | 'disconnect';
  reason: string;
  attempts: number;
}

/** The due rows, one per service: the newest id, a disconnect if any was queued (it supersedes a CoA), the reasons. */
async function dueServices(db: Db, stamp: string): Promise<Due[]> {
  const rows = await db
    .selectFrom('radius_dynamic_outbox')
    .select(['id', 'service_id', 'kind', 'reason', 'attempts'])
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', stamp)]))
    .orderBy('id')
    .limit(5000)
    .execute();
  const byService = new Map<number, Due>();
  for (const r of rows) {
    const d = byService.get(r.service_id);
    if (!d) byService.set(r.service_id, { serviceId: r.service_id, lastId: r.id, kind: r.kind, reason: r.reason, attempts: r.attempts });
    else {
      d.lastId = r.id;
      if (r.kind === 'disconnect') d.kind = 'disconnect';
      if (!d.reason.split('; ').includes(r.reason)) d.reason = `${d.reason}; ${r.reason}`;
      d.attempts = Math.max(d.attempts, r.attempts);
    }
  }
  return [...byService.values()];
}

export function startRadiusDynamic(backend: DynamicOutboxHost, options: DynamicOutboxOptions = {}): DynamicOutbox {
  const db = backend.datastore.db;
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 1000;
  const backoff = options.backoff ?? DEFAULT_DYNAMIC_BACKOFF;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const keepMs = (options.keepLogDays ?? 90) * 86_400_000;
  const ctx = { db, secrets: backend.secrets, connectRouter: options.connectRouter ?? connectRouterOs, now };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastPrune = 0;

  const deliver = async (d: Due) => {
    const live = await db.selectFrom('radius_sessions').select('id').where('service_id', '=', d.serviceId).where('stopped_at', 'is', null).executeTakeFirst();
    const at = now().toISOString();
    if (!live) {
      // The session ended meanwhile: its next login gets the current answer anyway.
      await db.transaction().execute(async (trx) => {
        const s = await trx.selectFrom('services').select('login').where('id', '=', d.serviceId).executeTakeFirst();
        await trx.insertInto('radius_dynamic_log').values({ service_id: d.serviceId, login: s?.login ?? '', kind: d.kind, reason: d.reason, nas_address: null, outcome: 'no-session', detail: 'The session had ended; nothing to change', fallback: null, done: 1, at }).execute();
        await trx.deleteFrom('radius_dynamic_outbox').where('service_id', '=', d.serviceId).where('id', '<=', d.lastId).execute();
      });
      return;
    }
    const which = { serviceId: d.serviceId };
    const result = d.kind === 'coa' ? await sendCoa(ctx, which, options.send) : await sendDisconnect(ctx, which, options.send);
    const finished = now().toISOString();
    const fallback = result.fallback.used ? (result.fallback.error === null ? `Removed ${result.fallback.removed} active session(s) through the API` : `API fallback failed: ${result.fallback.error}`) : null;
    const message = summarise(result);
    await db.transaction().execute(async (trx) => {
      const entries = result.sessions.length ? result.sessions : [null];
      for (const s of entries) {
        await trx
          .insertInto('radius_dynamic_log')
          .values({
            service_id: d.serviceId,
            login: result.login,
            kind: d.kind,
            reason: d.reason,
            nas_address: s?.nasAddress ?? null,
            outcome: s ? s.outcome.code : 'error',
            detail: s ? (s.outcome.ok ? null : s.outcome.message) : 'No NAS to send to',
            fallback,
            done: result.done ? 1 : 0,
            at: finished,
          })
          .execute();
      }
      if (result.done) {
        await trx.deleteFrom('radius_dynamic_outbox').where('service_id', '=', d.serviceId).where('id', '<=', d.lastId).execute();
      } else {
        const attempts = d.attempts + 1;
        await trx
          .updateTable('radius_dynamic_outbox')
          .set((eb) => ({
            attempts,
            next_attempt_at: new Date(Date.parse(finished) + backoffDelay(attempts, backoff)).toISOString(),
            failed_at: eb.fn.coalesce('failed_at', eb.val(finished)),
            last_error: message,
          }))
          .where('service_id', '=', d.serviceId)
          .where('id', '<=', d.lastId)
          .execute();
      }
    });
    if (!result.done || result.fallback.used) options.log?.(`[towerline] ${d.kind === 'coa' ? 'CoA' : 'Disconnect'} for ${result.login} (service ${d.serviceId}): ${message}${result.done ? '' : '; will retry'}`);
  };

  const tick = async () => {
    const at = now();
    const due = await dueServices(db, at.toISOString());
    for (let i = 0; i < due.length && !stopped; i += concurrency) {
      await Promise.all(
        due.slice(i, i + concurrency).map((d) =>
          deliver(d).catch((error: unknown) => options.log?.(`[towerline] CoA outbox, service ${d.serviceId}: ${error instanceof Error ? error.message : String(error)}`)),
        ),
      );
    }
    if (at.getTime() - lastPrune > 3_600_000) {
      lastPrune = at.getTime();
      await db.deleteFrom('radius_dynamic_log').where('at', '<', new Date(at.getTime() - keepMs).toISOString()).execute();
    }
  };

  // One tick at a time (the poll and runNow), so no request is delivered twice at once.
  let chain: Promise<void> = Promise.resolve();
  const exclusive = () => (chain = chain.then(tick, tick));

  const loop = () => {
    if (stopped) return;
    running = exclusive()
      .catch((error: unknown) => options.log?.(`[towerline] CoA outbox: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  loop();

  return {
    async runNow() {
      if (!stopped) await exclusive();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
