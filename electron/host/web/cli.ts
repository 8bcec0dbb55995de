import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from '../../server/backend';
import { generateDemo } from '../../server/demo/generate';
import { defaultDataDir } from '../../server/platform/data-dir';
import { startWebHost } from './server';
import { type RunningBackground, startBackground } from '../../server/background';
import { RADIUS_FLAGS, anyRadiusFlag, radiusListenFrom } from '../server/flags';
import { getBackgroundSettings } from '../../server/platform/background-settings';

/**
 * `npm run web -- [--port N] [--data-dir DIR] [--demo | --demo-if-empty] [--subscribers N] [--no-build]
 *  [--radius-host ADDR] [--radius-auth-port N] [--radius-acct-port N]`
 * Serves the app and its API on 127.0.0.1, guarded by a token printed with the URL.
 *
 * --demo opens a fresh temporary data directory filled with a sample ISP; --demo-if-empty (what
 * `npm start` uses) fills the data directory with the sample only when it holds nothing yet.
 *
 * The always-on work (RADIUS server, network and FreeRADIUS sync, scheduled changes, backups)
 * runs here too when a `--radius-*` flag is given or the datastore's "run on this computer"
 * setting is on; `npm run server` is the headless mode that always runs it.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const staticDir = join(root, 'out', 'renderer');

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    demo: { type: 'boolean', default: false },
    'demo-if-empty': { type: 'boolean', default: false },
    subscribers: { type: 'string', default: '2000' },
    'no-build': { type: 'boolean', default: false },
    ...RADIUS_FLAGS,
  },
});

const port = Number(values.port ?? process.env.TOWERLINE_PORT ?? 5178);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not "${values.port}"`);
  process.exit(2);
}

// --demo opens a fresh data directory so it never mixes sample subscribers into real ones.
const dataDir = values['data-dir'] ?? (values.demo ? mkdtempSync(join(tmpdir(), 'towerline-demo-')) : defaultDataDir());

if (!values['no-build'] && !existsSync(join(staticDir, 'index.html'))) {
  console.log('Building the renderer (first start only)…');
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const backend = await createBackend({ dataDir });
if (values.demo || values['demo-if-empty']) {
  const subscribers = Number(values.subscribers);
  if (!Number.isInteger(subscribers) || subscribers < 1) {
    console.error(`--subscribers must be a positive whole number, not "${values.subscribers}"`);
    process.exit(2);
  }
  if (await isEmpty(backend)) {
    console.log(`Generating demo data: ${subscribers} subscribers…`);
    await generateDemo(backend.datastore.db, { subscribers });
  }
}

let background: RunningBackground | undefined;
{
  const setting = await getBackgroundSettings(backend.datastore.db);
  if (anyRadiusFlag(values) || setting.runOnThisComputer) {
    let radius;
    try {
      radius = radiusListenFrom(values, { host: setting.radiusHost, authPort: setting.radiusAuthPort, acctPort: setting.radiusAcctPort });
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    }
    background = await startBackground(backend, { radius });
    console.log(`RADIUS and jobs run here: RADIUS ${radius.host} auth ${radius.authPort}, acct ${radius.acctPort}`);
  }
}

const token = process.env.TOWERLINE_TOKEN || randomBytes(18).toString('base64url');
const host = await startWebHost({ backend, token, port, staticDir });
console.log(`Towerline web host (data: ${dataDir})`);
console.log(`Open ${host.url}?token=${token}`);
console.log(`API: POST ${host.url}api/<procedure> with "Authorization: Bearer ${token}"; GET ${host.url}api lists procedures.`);

/** Nothing entered yet: no staff and no subscriptions, so demo data cannot mix with real records. */
async function isEmpty(b: typeof backend): Promise<boolean> {
  const [subs, staff] = await Promise.all([b.call('subscriptions.list', { pageSize: 1 }), b.call('staff.list', { includeInactive: true })]);
  return subs.ok && (subs.value as { total: number }).total === 0 && staff.ok && (staff.value as unknown[]).length === 0;
}

const stop = async () => {
  await background?.stop();
  await host.close();
  await backend.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
