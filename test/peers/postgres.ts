import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, unprivilegedUser } from './ports';

/**
 * A real PostgreSQL for tests: a fresh cluster in a temporary directory, listening on a random
 * loopback port, password authentication (scram) for one superuser. As root it runs as the
 * `postgres` system user (postgres refuses root); otherwise as the current user.
 */
export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionString: string;
  dir: string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql).');
  return join(base, versions[0]!, 'bin');
}

export async function startPostgres(options: { database?: string } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const runAs = unprivilegedUser('postgres');
  const dir = mkdtempSync(join(tmpdir(), 'towerline-pg-'));
  const data = join(dir, 'data');
  const user = 'towerline';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const database = options.database ?? 'radius';
  writeFileSync(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(join(dir, 'pwfile'), runAs.uid, runAs.gid);
  }
  const run = (file: string, args: string[]) => {
    const [cmd, argv] = runAs ? ['runuser', ['-u', runAs.name, '--', file, ...args]] : [file, args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${file} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=scram-sha-256', `--pwfile=${join(dir, 'pwfile')}`, '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freeTcpPort();
  run(join(bin, 'pg_ctl'), [
    '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const env = { ...process.env, PGPASSWORD: password };
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], { env });
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    connectionString: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
