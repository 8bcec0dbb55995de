import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The OS app-data folder Electron's `app.getPath('userData')` would pick for "Towerline",
 * computed without Electron so the web host and scripts find the same datastore.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TOWERLINE_DATA_DIR) return env.TOWERLINE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Towerline');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Towerline');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Towerline');
}

/**
 * Creates the data directory owner-only (0700), or tightens an existing one: it holds customers'
 * names, addresses and passwords. (On Windows the modes mean little; the user profile protects it.)
 */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

/** The datastore file and its WAL and shared-memory files: readable and writable by the owner only. */
export function datastoreFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * Creates the datastore file owner-only (0600) before SQLite opens it, and tightens whatever of it
 * and its -wal/-shm exists (SQLite gives those the main file's mode when it creates them).
 */
export function secureDatastoreFiles(file: string): void {
  if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600, flag: 'a' });
  if (process.platform === 'win32') return;
  for (const f of datastoreFiles(file)) if (existsSync(f)) chmodSync(f, 0o600);
}
