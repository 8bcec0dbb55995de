/**
 * The rules of backups, free of I/O: how a backup file is named (so we know which files are ours),
 * which ones retention deletes, when the daily backup is due, and whether a datastore's recorded
 * migrations are ones this version of Towerline can open.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** After a failed daily backup, wait this long before trying again (a full disk does not fix itself in a minute). */
const RETRY_MS = 60 * 60 * 1000;

const NAME = /^towerline-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})Z(?:-(\d{1,4}))?\.sqlite$/;

/** A backup file we wrote: when it was taken, and its sequence within that second. */
export interface BackupName {
  name: string;
  takenAt: Date;
  sequence: number;
}

/** `towerline-2026-12-02-013608Z.sqlite`: UTC, sortable, no characters any file system refuses. */
export function backupFileName(at: Date, sequence = 0): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(at.getUTCFullYear(), 4)}-${p(at.getUTCMonth() + 1)}-${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}Z`;
  return `towerline-${stamp}${sequence > 0 ? `-${sequence}` : ''}.sqlite`;
}

/** Reads a name written by backupFileName; null for any other file (those are never touched). */
export function parseBackupFileName(name: string): BackupName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, seq] = m;
  const takenAt = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(takenAt.getTime()) || backupFileName(takenAt) !== name.replace(/-\d{1,4}\.sqlite$/, '.sqlite')) return null;
  return { name, takenAt, sequence: seq ? Number(seq) : 0 };
}

/** A name for a backup taken at `at` that none of `existing` has. */
export function freshBackupFileName(at: Date, existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let sequence = 0; ; sequence++) {
    const name = backupFileName(at, sequence);
    if (!taken.has(name)) return name;
  }
}

/** Our backups among `names`, newest first; other files are left out. */
export function ourBackups(names: Iterable<string>): BackupName[] {
  const ours: BackupName[] = [];
  for (const name of names) {
    const parsed = parseBackupFileName(name);
    if (parsed) ours.push(parsed);
  }
  return ours.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.sequence - a.sequence);
}

/** The backups retention deletes: ours beyond the newest `keep`. Files that are not ours are never listed. */
export function beyondRetention(names: Iterable<string>, keep: number): string[] {
  return ourBackups(names)
    .slice(Math.max(1, keep))
    .map((b) => b.name);
}

/**
 * Whether the daily backup should run now: none succeeded in the last day, and the last attempt
 * (if it failed) is not too recent to try again.
 */
export function dailyBackupDue(now: Date, lastSuccessAt: Date | null, lastAttemptAt: Date | null): boolean {
  if (lastSuccessAt && now.getTime() - lastSuccessAt.getTime() < DAY_MS) return false;
  if (lastAttemptAt && (!lastSuccessAt || lastAttemptAt > lastSuccessAt) && now.getTime() - lastAttemptAt.getTime() < RETRY_MS) return false;
  return true;
}

export interface MigrationRecord {
  id: string;
  checksum: string;
}

/**
 * Whether a datastore recording `recorded` may replace this one: it must be a Towerline datastore
 * (it recorded migrations), every migration it recorded must be one this version knows, with the
 * same checksum (not written by a newer or a changed Towerline). Fewer migrations are fine: it was
 * written by an older version and is migrated when opened. Null when it may; otherwise why not.
 */
export function refuseMigrations(recorded: readonly MigrationRecord[], known: readonly MigrationRecord[]): string | null {
  if (recorded.length === 0) return 'This file is not a Towerline datastore (it has no migration history).';
  const byId = new Map(known.map((m) => [m.id, m.checksum]));
  const newer = recorded.filter((r) => !byId.has(r.id));
  if (newer.length > 0) {
    return `This backup was written by a newer version of Towerline (it has migration ${newer[0]!.id}, which this version does not know). Install that version or newer to restore it.`;
  }
  const changed = recorded.find((r) => byId.get(r.id) !== r.checksum);
  if (changed) return `This backup's migration ${changed.id} differs from this version's: it was not written by a released Towerline, so it is not restored.`;
  if (recorded[0]!.id !== known[0]?.id) return 'This file is not a Towerline datastore (its migration history does not start where Towerline\'s does).';
  return null;
}
