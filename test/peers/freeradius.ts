import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpPorts, unprivilegedUser } from './ports';

/**
 * A real FreeRADIUS 3.2 (Debian's) for tests and benchmarks: a configuration generated in a
 * temporary directory from the installed /etc/freeradius/3.0, one virtual server listening on
 * random loopback ports, users from the `files` backend or from PostgreSQL through rlm_sql.
 * Started in the foreground (`freeradius -f -d dir`), as the `freerad` user when run as root.
 */
export interface FreeradiusClient {
  address: string;
  secret: string;
}

export interface FreeradiusSql {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Load RADIUS clients from the `nas` table (FreeRADIUS reads it once, at start). */
  readClients?: boolean;
}

export interface FreeradiusOptions {
  /** Clients from clients.conf; leave empty when they come from the nas table. */
  clients?: FreeradiusClient[];
  /** Users from PostgreSQL (rlm_sql_postgresql). */
  sql?: FreeradiusSql;
  /** Users from the files backend: the text of mods-config/files/authorize. */
  users?: string;
  /** Worker threads (FreeRADIUS's thread pool); defaults to the stock 5..32. */
  threads?: number;
}

export interface RunningFreeradius {
  host: string;
  authPort: number;
  acctPort: number;
  dir: string;
  /** What FreeRADIUS printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const SOURCE = '/etc/freeradius/3.0';

export function freeradiusBinary(): string {
  for (const candidate of ['/usr/sbin/freeradius', '/usr/sbin/radiusd']) if (existsSync(candidate)) return candidate;
  throw new Error('FreeRADIUS is not installed: no /usr/sbin/freeradius (Debian: apt-get install freeradius freeradius-postgresql freeradius-utils).');
}

export function radclientBinary(): string {
  for (const candidate of ['/usr/bin/radclient']) if (existsSync(candidate)) return candidate;
  throw new Error('radclient is not installed (Debian: apt-get install freeradius-utils).');
}

/** A quoted string for FreeRADIUS's configuration language. */
const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function sqlModule(sql: FreeradiusSql): string {
  return `sql {
	dialect = "postgresql"
	driver = "rlm_sql_postgresql"
	server = ${q(sql.host)}
	port = ${sql.port}
	login = ${q(sql.user)}
	password = ${q(sql.password)}
	radius_db = ${q(sql.database)}
	postgresql {
		send_application_name = yes
	}
	acct_table1 = "radacct"
	acct_table2 = "radacct"
	postauth_table = "radpostauth"
	authcheck_table = "radcheck"
	groupcheck_table = "radgroupcheck"
	authreply_table = "radreply"
	groupreply_table = "radgroupreply"
	usergroup_table = "radusergroup"
	delete_stale_sessions = yes
	pool {
		start = 2
		min = 1
		max = 32
		spare = 8
		uses = 0
		retry_delay = 1
		lifetime = 0
		idle_timeout = 60
	}
	read_clients = ${sql.readClients ? 'yes' : 'no'}
	client_table = "nas"
	group_attribute = "SQL-Group"
	$INCLUDE \${modconfdir}/\${.:name}/main/\${dialect}/queries.conf
}
`;
}

function site(authPort: number, acctPort: number, backend: 'sql' | 'files'): string {
  return `server towerline {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${authPort}
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = ${acctPort}
	}
	authorize {
		preprocess
		chap
		mschap
		${backend}
		expiration
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type MS-CHAP {
			mschap
		}
	}
	preacct {
		preprocess
		acct_unique
	}
	accounting {
		ok
	}
	post-auth {
		Post-Auth-Type REJECT {
			attr_filter.access_reject
		}
	}
}
`;
}

export async function startFreeradius(options: FreeradiusOptions): Promise<RunningFreeradius> {
  const binary = freeradiusBinary();
  if (!existsSync(SOURCE)) throw new Error(`FreeRADIUS's configuration ${SOURCE} is missing (Debian: apt-get install freeradius).`);
  const runAs = unprivilegedUser('freerad');
  const dir = mkdtempSync(join(tmpdir(), 'towerline-freeradius-'));
  const raddb = join(dir, 'raddb');
  cpSync(SOURCE, raddb, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(dir, 'log'));
  mkdirSync(join(dir, 'run'));
  const [authPort, acctPort] = (await freeUdpPorts(2)) as [number, number];

  let conf = readFileSync(join(raddb, 'radiusd.conf'), 'utf8');
  conf = conf
    .replace(/^logdir = .*$/m, `logdir = ${dir}/log`)
    .replace(/^run_dir = .*$/m, `run_dir = ${dir}/run`)
    .replace(/^(\s*)reject_delay = .*$/m, '$1reject_delay = 0')
    .replace(/^(\s*)(user|group) = freerad$/gm, runAs ? '$1$2 = freerad' : '');
  if (options.threads) conf = conf.replace(/^(\s*)start_servers = .*$/m, `$1start_servers = ${options.threads}`).replace(/^(\s*)max_servers = .*$/m, `$1max_servers = ${options.threads}`);
  writeFileSync(join(raddb, 'radiusd.conf'), conf);

  for (const entry of readdirSync(join(raddb, 'sites-enabled'))) rmSync(join(raddb, 'sites-enabled', entry));
  writeFileSync(join(raddb, 'sites-enabled', 'towerline'), site(authPort, acctPort, options.sql ? 'sql' : 'files'));
  // EAP needs certificates and the tests do not use it.
  rmSync(join(raddb, 'mods-enabled', 'eap'), { force: true });
  if (options.sql) writeFileSync(join(raddb, 'mods-enabled', 'sql'), sqlModule(options.sql));
  if (options.users !== undefined) writeFileSync(join(raddb, 'mods-config', 'files', 'authorize'), options.users);
  const clients = (options.clients ?? []).map((c, i) => `client test${i} {\n\tipaddr = ${c.address}\n\tsecret = ${q(c.secret)}\n}\n`).join('');
  writeFileSync(join(raddb, 'clients.conf'), clients);
  if (runAs) execFileSync('chown', ['-R', '-h', `${runAs.uid}:${runAs.gid}`, dir]);
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);

  // Fail with FreeRADIUS's own words if the configuration does not load.
  const check = spawnSync(binary, ['-C', '-d', raddb], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`FreeRADIUS refused the generated configuration:\n${check.stdout}\n${check.stderr}`);

  let output = '';
  const child: ChildProcess = spawn(binary, ['-f', '-l', 'stdout', '-d', raddb], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 20_000;
  while (!output.includes('Ready to process requests')) {
    if (child.exitCode !== null) throw new Error(`FreeRADIUS exited (${child.exitCode}) while starting:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FreeRADIUS did not get ready in 20 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    authPort,
    acctPort,
    dir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RadclientAnswer {
  code: 'Access-Accept' | 'Access-Reject' | 'none' | string;
  attributes: Record<string, string[]>;
  raw: string;
}

/**
 * One Access-Request through radclient (PAP unless `chapPassword` is used); answers the reply code
 * and its attributes as radclient prints them.
 */
export function radclientAuth(target: { host: string; authPort: number }, secret: string, attributes: Record<string, string>): RadclientAnswer {
  const input = Object.entries(attributes)
    .map(([k, v]) => `${k} = ${q(v)}`)
    .join('\n');
  const r = spawnSync(radclientBinary(), ['-x', '-r', '2', '-t', '2', `${target.host}:${target.authPort}`, 'auth', secret], { input, encoding: 'utf8' });
  const raw = `${r.stdout}\n${r.stderr}`;
  const code = /Received (Access-\w+)/.exec(raw)?.[1] ?? 'none';
  const answer: Record<string, string[]> = {};
  const received = raw.split(/Received Access-\w+[^\n]*\n/)[1] ?? '';
  for (const line of received.split('\n')) {
    const m = /^\s+([\w-]+) = (.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/^"(.*)"$/, '$1');
    (answer[m[1]!] ??= []).push(value);
  }
  return { code, attributes: answer, raw };
}
