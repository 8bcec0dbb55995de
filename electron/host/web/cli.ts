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

/**
 * `npm run web -- [--port N] [--data-dir DIR] [--demo [--subscribers N]] [--no-build]`
 * Serves the app and its API on 127.0.0.1, guarded by a token printed with the URL.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const staticDir = join(root, 'out', 'renderer');

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    demo: { type: 'boolean', default: false },
    subscribers: { type: 'string', default: '2000' },
    'no-build': { type: 'boolean', default: false },
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
if (values.demo) {
  const subscribers = Number(values.subscribers);
  const existing = await backend.call('subscriptions.list', { pageSize: 1 });
  if (existing.ok && (existing.value as { total: number }).total === 0) {
    console.log(`Generating demo data: ${subscribers} subscribers…`);
    await generateDemo(backend.datastore.db, { subscribers });
  }
}

const token = process.env.TOWERLINE_TOKEN || randomBytes(18).toString('base64url');
const host = await startWebHost({ backend, token, port, staticDir });
console.log(`Towerline web host (data: ${dataDir})`);
console.log(`Open ${host.url}?token=${token}`);
console.log(`API: POST ${host.url}api/<procedure> with "Authorization: Bearer ${token}"; GET ${host.url}api lists procedures.`);

const stop = async () => {
  await host.close();
  await backend.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
