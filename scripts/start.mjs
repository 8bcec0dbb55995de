#!/usr/bin/env node
/**
 * `npm start`: the desktop app when Electron's runtime can be had, otherwise the same app through
 * the web host. Electron 45.4+ downloads its runtime on first launch, not at `npm install`; where
 * that download is blocked (an offline office, a locked-down CI box) the web host serves the very
 * same renderer and back end on 127.0.0.1.
 *
 * Arguments after `--` go to whichever host starts (e.g. `npm start -- --data-dir ./shop`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/** The Electron executable, downloading it once if needed; null when it cannot be obtained. */
function electronRuntime() {
  const electronDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(electronDir, 'path.txt');
  const installed = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
  if (installed()) return join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  if (process.env.TOWERLINE_NO_ELECTRON) return null;
  console.log('Fetching Electron’s runtime (first launch only)…');
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  return fetched.status === 0 && installed() ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : null;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

const electron = electronRuntime();
if (electron) {
  const built = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  run(electron, [root, ...args]);
} else {
  console.log('Electron’s runtime cannot be downloaded on this machine, so Towerline starts in web mode: the same app, served on 127.0.0.1.');
  const built = spawnSync(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  run(bin('tsx'), ['electron/host/web/cli.ts', '--no-build', '--demo-if-empty', ...args]);
}
