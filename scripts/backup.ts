/**
 * Backs up a Towerline datastore from the command line, while the app keeps running if it is:
 *
 *   npm run backup -- --data-dir <dataDir> --to <file.sqlite>
 *
 * Without --data-dir, the desktop app's data directory (or TOWERLINE_DATA_DIR). The copy is taken
 * with SQLite's backup API inside one read transaction (a consistent snapshot), written owner-only,
 * and never overwrites an existing file. Exit status: 0 written, 1 failed, 2 bad arguments.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DATABASE_FILE } from '../electron/server/backend';
import { onlineBackup } from '../electron/server/db/backup';
import { defaultDataDir } from '../electron/server/platform/data-dir';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run backup -- [--data-dir <dir>] --to <file.sqlite>`);
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) usage(`${name} needs a value.`);
  return value;
};
const unknown = args.filter((a, i) => a.startsWith('--') && !['--data-dir', '--to'].includes(a) && !['--data-dir', '--to'].includes(args[i - 1] ?? ''));
if (unknown.length) usage(`Unknown option ${unknown[0]}.`);

const dataDir = resolve(option('--data-dir') ?? defaultDataDir());
const to = option('--to');
if (!to) usage('Say where the backup goes with --to <file>.');
const destination = resolve(to);
const source = join(dataDir, DATABASE_FILE);

if (!existsSync(source)) usage(`There is no Towerline datastore in ${dataDir} (no ${DATABASE_FILE}).`);
if (existsSync(destination)) usage(`${destination} already exists; a backup never overwrites a file.`);
if (!existsSync(dirname(destination))) usage(`The folder ${dirname(destination)} does not exist.`);

try {
  const started = Date.now();
  const { bytes } = await onlineBackup(source, destination);
  console.log(`backed up ${source} to ${destination}: ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`The backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
