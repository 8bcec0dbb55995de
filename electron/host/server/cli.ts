import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from '../../server/backend';
import { startBackground } from '../../server/background';
import { defaultDataDir } from '../../server/platform/data-dir';
import { startWebHost } from '../web/server';
import { RADIUS_FLAGS, radiusListenFrom } from './flags';

/**
 * Server mode: `npm run server -- --data-dir DIR [--port N] [--host ADDR] [--radius-host ADDR]
 * [--radius-auth-port N] [--radius-acct-port N] [--no-radius]`
 *
 * The back end headless on an always-on computer: the HTTP API and the app (as the web host), the
 * RADIUS server and the jobs (network and FreeRADIUS sync, scheduled changes, backups), so the
 * network is enforced when nobody has the desktop app open. SIGTERM or SIGINT stops the jobs,
 * lets them finish what they are writing, closes the HTTP server and the datastore, and exits 0.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const staticDir = join(root, 'out', 'renderer');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'no-radius': { type: 'boolean', default: false },
      ...RADIUS_FLAGS,
    },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;

const port = Number(values.port ?? process.env.TOWERLINE_PORT ?? 5178);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not "${values.port}"`);
const httpHost = values.host ?? '127.0.0.1';
let radius;
try {
  radius = values['no-radius'] ? null : radiusListenFrom(values);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const dataDir = resolve(values['data-dir'] ?? process.env.TOWERLINE_DATA_DIR ?? defaultDataDir());

const backend = await createBackend({ dataDir });

/** The API token survives restarts (scripts and bookmarks keep working): TOWERLINE_TOKEN, else `api-token` in the data directory. */
function apiToken(): string {
  if (process.env.TOWERLINE_TOKEN) return process.env.TOWERLINE_TOKEN;
  const file = join(dataDir, 'api-token');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
const token = apiToken();

const host = await startWebHost({ backend, token, port, host: httpHost, staticDir: existsSync(join(staticDir, 'index.html')) ? staticDir : undefined });
const background = await startBackground(backend, { radius });

console.log(`Towerline server (data: ${dataDir})`);
console.log(`API listening on ${host.url} (token: TOWERLINE_TOKEN or ${join(dataDir, 'api-token')})`);
if (!existsSync(join(staticDir, 'index.html'))) console.log('The app is not built (npm run build:renderer); the API works without it.');
if (httpHost !== '127.0.0.1' && httpHost !== 'localhost') console.log('Note: the API is plain HTTP; reach it from other computers through a TLS reverse proxy or a VPN.');
console.log(radius ? `RADIUS: ${radius.host} auth ${radius.authPort}, acct ${radius.acctPort}` : 'RADIUS: off (--no-radius)');
for (const job of background.status()) console.log(`Job ${job.name}: ${job.state}${job.error ? ` (${job.error})` : ''}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  // A job stuck on a dead peer must not keep the service from stopping (systemd would kill it harder).
  const force = setTimeout(() => {
    console.error('Shutdown took longer than 20 s; exiting anyway.');
    process.exit(1);
  }, 20_000);
  force.unref();
  try {
    await background.stop();
    await host.close();
    await backend.close();
    console.log('Stopped.');
    process.exit(0);
  } catch (error) {
    console.error('Shutdown failed', error);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
