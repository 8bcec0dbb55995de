/**
 * A RADIUS load generator: keeps N Access-Requests in flight against one server and records the
 * latency of every answer. radclient cannot do this (it tops out near 12k/s and rescans its request
 * list on every reply). Packets are built before the clock starts, so the generator spends its time
 * on sockets only; measure it against a trivial reflector (startReflector) to know its ceiling.
 * Run it in a worker (runLoadInWorker) so it does not share an event loop with the server it loads.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Code, encodeAccessRequest } from '../../electron/server/network/radius/codec';
import { literalLookup } from '../../electron/server/network/radius/server';

export interface LoadUser {
  name: string;
  password: string;
}

export interface LoadOptions {
  host: string;
  port: number;
  secret: string;
  users: readonly LoadUser[];
  /** Requests kept in flight (identifiers are per socket: one socket per 256). */
  inFlight: number;
  /** Measured time, after the warm-up. */
  durationMs: number;
  warmupMs?: number;
  /** A request unanswered this long counts as lost and its slot moves on. */
  timeoutMs?: number;
}

export interface LoadResult {
  sent: number;
  answered: number;
  accepts: number;
  /** Answers other than Access-Accept. */
  others: number;
  lost: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs the load in this thread; prefer runLoadInWorker when the server runs in this process. */
export async function generateLoad(o: LoadOptions): Promise<LoadResult> {
  const inFlight = Math.max(1, Math.min(o.inFlight, 256 * 64));
  const warmupMs = o.warmupMs ?? 1000;
  const timeoutMs = o.timeoutMs ?? 1000;
  const socketCount = Math.ceil(inFlight / 256);
  // Each slot has a fixed socket and identifier and cycles through its own users' packets.
  const packets: Buffer[][] = [];
  for (let k = 0; k < inFlight; k++) {
    const list: Buffer[] = [];
    for (let u = k % o.users.length; u < o.users.length || list.length === 0; u += inFlight) {
      const user = o.users[u % o.users.length]!;
      list.push(encodeAccessRequest(k % 256, randomBytes(16), [['User-Name', user.name], ['User-Password', user.password], ['NAS-Port', 1]], o.secret));
      if (u >= o.users.length) break;
    }
    packets.push(list);
  }
  const sockets = await Promise.all(
    Array.from({ length: socketCount }, () => new Promise<dgram.Socket>((resolve) => {
      // The server's resolver shortcut: without it every send goes through dns.lookup and a nextTick.
      const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024, lookup: literalLookup });
      s.bind(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const sentAt = new Float64Array(inFlight);
  const next = new Uint32Array(inFlight);
  let latencies = new Float64Array(1 << 20);
  let recorded = 0;
  let sent = 0;
  let answered = 0;
  let accepts = 0;
  let others = 0;
  let lost = 0;
  let measuring = false;
  let stopping = false;
  let outstanding = 0;
  const now = () => performance.now();

  const send = (k: number) => {
    const list = packets[k]!;
    const p = list[next[k]! % list.length]!;
    next[k]!++;
    sentAt[k] = now();
    outstanding++;
    if (measuring) sent++;
    sockets[k >> 8]!.send(p, o.port, o.host);
  };

  sockets.forEach((s, j) =>
    s.on('message', (msg) => {
      if (msg.length < 20) return;
      const k = j * 256 + msg[1]!;
      if (k >= inFlight || sentAt[k] === 0) return;
      const ms = now() - sentAt[k]!;
      sentAt[k] = 0;
      outstanding--;
      if (measuring) {
        answered++;
        if (msg[0] === Code.AccessAccept) accepts++;
        else others++;
        if (recorded === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[recorded++] = ms;
      }
      if (!stopping) send(k);
    }),
  );
  const sweep = setInterval(() => {
    const t = now();
    for (let k = 0; k < inFlight; k++) {
      if (sentAt[k] !== 0 && t - sentAt[k]! > timeoutMs) {
        sentAt[k] = 0;
        outstanding--;
        if (measuring) lost++;
        if (!stopping) send(k);
      }
    }
  }, 50);

  for (let k = 0; k < inFlight; k++) send(k);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const start = now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  const seconds = (now() - start) / 1000;
  const perSecond = answered / seconds;
  stopping = true;
  const drainUntil = now() + timeoutMs + 100;
  while (outstanding > 0 && now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  clearInterval(sweep);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  const sorted = latencies.subarray(0, recorded).sort();
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { sent, answered, accepts, others, lost, seconds: round(seconds), perSecond: Math.round(perSecond), p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted.length ? sorted[sorted.length - 1]! : NaN) };
}

/** Runs generateLoad in a worker thread (from source: the .mjs bootstrap beside this file registers tsx). */
export function runLoadInWorker(options: LoadOptions): Promise<LoadResult> {
  const url = new URL('./load.worker.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return Promise.reject(new Error(`Load generator worker not found at ${url.href}`));
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: options });
    worker.once('message', (m: { ok: true; result: LoadResult } | { ok: false; error: string }) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/**
 * The generator's ceiling: answers every datagram at once with an Access-Accept carrying the same
 * identifier (no checks, no crypto). Runs in the calling thread, where the server would.
 */
export async function startReflector(): Promise<{ port: number; close(): Promise<void> }> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024, lookup: literalLookup });
  s.on('message', (msg, rinfo) => {
    if (msg.length < 20) return;
    const reply = Buffer.from(msg.subarray(0, 20));
    reply[0] = Code.AccessAccept;
    reply.writeUInt16BE(20, 2);
    s.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, close: () => new Promise((r) => s.close(() => r())) };
}
