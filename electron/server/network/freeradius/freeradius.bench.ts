import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type RunningFreeradius, radclientBinary, startFreeradius } from '../../../../test/peers/freeradius';
import { startPostgres } from '../../../../test/peers/postgres';
import { benchBackend } from '../../bench/fixture';
import type { Benchmark, Figure } from '../../bench/harness';

const N = 10_000;
const STOCK_SCHEMA = '/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql';
const SECRET = 'bench-secret';
/** Requests radclient keeps in flight. */
const IN_FLIGHT = 64;

/**
 * FreeRADIUS 3.2's SQL backend on the PostgreSQL Towerline provisions, for 10,000 subscribers
 * (the demo ISP: logins, passwords, permanent addresses, plans), beside its files backend with the
 * same users, driven the same way in the same run. Also the provisioning itself: a sync from empty
 * and one in sync (which must write nothing).
 *
 * The load comes from radclient (one process, 64 in flight): it gives the rate, not per-request
 * latency, so no p99 here; radclient tops out near 11-13k requests/s on this machine, above the
 * SQL backend's rate but possibly below the files backend's, which then reads as a floor.
 * Measured 2026-12-02 on the shared 2-core machine (load average 12-18): sync of 9,203 logins
 * from empty 3.0 s, in sync 3.0 s with 0 writes; SQL backend 332 req/s, files backend 945 req/s.
 */
export const freeradiusBenchmarks: Benchmark = {
  name: 'freeradius',
  figures: ['freeradius.sync', 'radius.freeradius-sql', 'radius.freeradius-files'],
  describe: `FreeRADIUS SQL provisioning and FreeRADIUS 3.2's SQL backend with ${N.toLocaleString('en-US')} subscribers`,
  async run(log) {
    const figures: Figure[] = [];
    const { backend, close } = await benchBackend(N, log);
    const pgServer = await startPostgres();
    const client = new pg.Client({ connectionString: pgServer.connectionString });
    const work = mkdtempSync(join(tmpdir(), 'towerline-frbench-'));
    let radius: RunningFreeradius | undefined;
    try {
      await client.connect();
      await client.query(readFileSync(STOCK_SCHEMA, 'utf8'));
      const set = await backend.call('freeradius.updateSettings', { enabled: true, host: pgServer.host, port: pgServer.port, database: pgServer.database, user: pgServer.user, password: pgServer.password });
      if (!set.ok) throw new Error(set.error.message);

      const sync = async () => {
        const start = performance.now();
        const r = await backend.call('freeradius.sync', {});
        if (!r.ok) throw new Error(r.error.message);
        const value = r.value as { error: string | null; inserted: number; updated: number; deleted: number; users: number };
        if (value.error) throw new Error(value.error);
        return { ms: Math.round(performance.now() - start), ...value };
      };
      const fromEmpty = await sync();
      const inSync = await sync();
      log(`sync from empty: ${fromEmpty.ms} ms, ${fromEmpty.inserted} rows for ${fromEmpty.users} logins; in sync: ${inSync.ms} ms, ${inSync.inserted + inSync.updated + inSync.deleted} writes`);
      figures.push({ bench: 'freeradius.sync', n: fromEmpty.users, from_empty_ms: fromEmpty.ms, rows_inserted: fromEmpty.inserted, in_sync_ms: inSync.ms, writes_in_sync: inSync.inserted + inSync.updated + inSync.deleted });

      // The users FreeRADIUS should accept: every provisioned password, but for vouchers past their
      // validity (Expiration) and MAC-bound hotspot logins, which FreeRADIUS rightly rejects here.
      const users = (
        await client.query<{ username: string; value: string }>(
          `select username, value from radcheck c where attribute = 'Cleartext-Password'
           and not exists (select 1 from radcheck x where x.username = c.username and x.attribute in ('Expiration', 'Calling-Station-Id')) order by id`,
        )
      ).rows;
      const requests = users.map((u) => `User-Name = ${JSON.stringify(u.username)}\nUser-Password = ${JSON.stringify(u.value)}\nNAS-IP-Address = 127.0.0.1\n`).join('\n');
      const file = join(work, 'requests');
      writeFileSync(file, requests);

      const drive = (target: RunningFreeradius, label: string): Figure => {
        // Warm-up: FreeRADIUS's SQL pool and PostgreSQL's caches.
        spawnSync(radclientBinary(), ['-q', '-p', String(IN_FLIGHT), '-r', '3', '-t', '5', '-f', file, `127.0.0.1:${target.authPort}`, 'auth', SECRET], { encoding: 'utf8' });
        const start = performance.now();
        const r = spawnSync(radclientBinary(), ['-s', '-q', '-p', String(IN_FLIGHT), '-r', '3', '-t', '5', '-f', file, `127.0.0.1:${target.authPort}`, 'auth', SECRET], { encoding: 'utf8' });
        const seconds = (performance.now() - start) / 1000;
        const number = (name: string) => Number(new RegExp(`${name}\\s*:\\s*(\\d+)`, 'i').exec(r.stdout)?.[1] ?? NaN);
        const accepted = number('Accepted');
        const rejected = number('Rejected');
        const lost = number('Lost');
        log(`${label}: ${users.length} requests in ${seconds.toFixed(2)} s, ${accepted} accepted, ${rejected} rejected, ${lost} lost`);
        if (accepted !== users.length) {
          // Why FreeRADIUS said no: its own error lines, counted.
          const reasons = new Map<string, number>();
          for (const line of target.output().split('\n').filter((l) => /error|fail|reject/i.test(l))) {
            const reason = line.replace(/^.*?(Error|ERROR|Auth)/, '$1').replace(/\(\d+\)/g, '').replace(/"[^"]*"/g, '"…"').slice(0, 160);
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          }
          log(`${label}: not accepted: ${[...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${n}× ${r}`).join(' | ') || 'no reason logged'}`);
        }
        return { bench: label, n: N, requests: users.length, accepted, rejected, lost, rps: Math.round(users.length / seconds), in_flight: IN_FLIGHT, load: 'radclient' };
      };

      radius = await startFreeradius({ clients: [{ address: '127.0.0.1', secret: SECRET }], sql: { host: pgServer.host, port: pgServer.port, user: pgServer.user, password: pgServer.password, database: pgServer.database } });
      figures.push(drive(radius, 'radius.freeradius-sql'));
      await radius.stop();

      // Baseline: the same users from FreeRADIUS's files backend, same load, same run.
      const rate = new Map((await client.query<{ username: string; value: string }>(`select ug.username, gr.value from radusergroup ug join radgroupreply gr on gr.groupname = ug.groupname and gr.attribute = 'Mikrotik-Rate-Limit'`)).rows.map((r) => [r.username, r.value]));
      const ips = new Map((await client.query<{ username: string; value: string }>(`select username, value from radreply where attribute = 'Framed-IP-Address'`)).rows.map((r) => [r.username, r.value]));
      const usersFile = users
        .map((u) => {
          const reply = [ips.has(u.username) ? `\tFramed-IP-Address = ${ips.get(u.username)}` : null, rate.has(u.username) ? `\tMikrotik-Rate-Limit = "${rate.get(u.username)}"` : null].filter(Boolean).join(',\n');
          return `${JSON.stringify(u.username)} Cleartext-Password := ${JSON.stringify(u.value)}\n${reply}\n`;
        })
        .join('\n');
      radius = await startFreeradius({ clients: [{ address: '127.0.0.1', secret: SECRET }], users: usersFile });
      figures.push(drive(radius, 'radius.freeradius-files'));
    } finally {
      await radius?.stop();
      await client.end().catch(() => {});
      await pgServer.stop();
      await close();
      rmSync(work, { recursive: true, force: true });
    }
    return figures;
  },
};
