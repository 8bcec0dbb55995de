/**
 * FreeRADIUS 3.2 (Debian) as a peer for tests and benchmarks: a minimal configuration generated in a
 * temp directory (files backend: the given users with their reply attributes), run in the foreground
 * (`freeradius -f -d <dir>`) on a free loopback port, as the unprivileged freerad user when started
 * as root. Stopped by stop().
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAccessRequest } from '../../electron/server/network/radius/codec';
import { requireBinary } from './peers';

export interface FreeRadiusUser {
  name: string;
  password: string;
  /** Reply attributes in FreeRADIUS syntax, e.g. `Mikrotik-Rate-Limit = "10M/50M"`. */
  reply: readonly string[];
}

export interface FreeRadiusPeer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** `user Cleartext-Password := "…"` entries of the files module, quoting as FreeRADIUS reads them. */
export function usersFile(users: readonly FreeRadiusUser[]): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return users.map((u) => `${q(u.name)} Cleartext-Password := ${q(u.password)}\n${u.reply.map((r) => `\t${r}`).join(',\n')}\n`).join('\n');
}

/** Starts FreeRADIUS with the files backend; resolves once it answers an Access-Request. */
export async function startFreeRadiusFiles(users: readonly FreeRadiusUser[], secret: string, options: { threads?: number } = {}): Promise<FreeRadiusPeer> {
  const bin = requireBinary('freeradius');
  const dir = mkdtempSync(join(tmpdir(), 'towerline-freeradius-'));
  const port = await freePort();
  const threads = options.threads ?? 4;
  for (const d of ['log', 'run', 'radacct']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'users'), usersFile(users));
  writeFileSync(
    join(dir, 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = ${dir}/log
raddbdir = ${dir}
radacctdir = ${dir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = ${dir}/run
db_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/freeradius.pid
max_request_time = 30
cleanup_delay = 0
max_requests = 1048576
hostname_lookups = no
log {
  destination = stderr
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
thread pool {
  start_servers = ${threads}
  max_servers = ${threads}
  min_spare_servers = 1
  max_spare_servers = ${threads}
  max_requests_per_server = 0
  max_queue_size = 65536
}
client loopback {
  ipaddr = 127.0.0.1
  secret = "${secret}"
}
modules {
  pap {
    normalise = yes
  }
  chap {
  }
  files {
    filename = ${dir}/users
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    files
    pap
    chap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
    Auth-Type CHAP {
      chap
    }
  }
}
`,
  );
  // FreeRADIUS refuses world-writable config and, as root, is better run as its own user.
  const asRoot = process.getuid?.() === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (asRoot) {
    for (const user of ['freerad', 'nobody']) {
      try {
        uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
        gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
        break;
      } catch {
        // try the next
      }
    }
    for (const p of [dir, join(dir, 'log'), join(dir, 'run'), join(dir, 'radacct'), join(dir, 'users'), join(dir, 'radiusd.conf')]) if (uid !== undefined) chownSync(p, uid, gid!);
  }
  chmodSync(dir, 0o750);
  const child: ChildProcess = spawn(bin, ['-f', '-d', dir], { stdio: ['ignore', 'pipe', 'pipe'], uid, gid });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((r) => child.on('close', () => ((exited = true), r())));

  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 5000))]);
    if (!exited) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready once it answers: probe with an Access-Request for the first user.
  const probe = dgram.createSocket('udp4');
  const ready = await new Promise<boolean>((resolve) => {
    const first = users[0] ?? { name: 'probe', password: 'probe' };
    const packet = encodeAccessRequest(1, randomBytes(16), [['User-Name', first.name], ['User-Password', first.password]], secret);
    const timer = setInterval(() => {
      if (exited) return done(false);
      probe.send(packet, port, '127.0.0.1');
    }, 200);
    const deadline = setTimeout(() => done(false), 30_000);
    function done(ok: boolean) {
      clearInterval(timer);
      clearTimeout(deadline);
      resolve(ok);
    }
    probe.on('message', () => done(true));
  });
  probe.close();
  if (!ready) {
    await stop();
    throw new Error(`FreeRADIUS did not start: ${output.slice(-2000)}`);
  }
  return { port, dir, stop };
}
