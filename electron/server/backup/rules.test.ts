import { describe, expect, it } from 'vitest';
import { backupFileName, beyondRetention, dailyBackupDue, freshBackupFileName, ourBackups, parseBackupFileName, refuseMigrations } from './rules';

const at = (s: string) => new Date(s);

describe('backup file names', () => {
  it('name a backup by its UTC time, and read that time back', () => {
    const name = backupFileName(at('2026-12-02T01:36:08.512Z'));
    expect(name).toBe('towerline-2026-12-02-013608Z.sqlite');
    expect(parseBackupFileName(name)).toEqual({ name, takenAt: at('2026-12-02T01:36:08Z'), sequence: 0 });
  });

  it('give a second backup in the same second a sequence number', () => {
    const first = backupFileName(at('2026-12-02T01:36:08Z'));
    expect(freshBackupFileName(at('2026-12-02T01:36:08Z'), [first])).toBe('towerline-2026-12-02-013608Z-1.sqlite');
    expect(parseBackupFileName('towerline-2026-12-02-013608Z-1.sqlite')?.sequence).toBe(1);
  });

  it('are not recognised in files we did not write', () => {
    for (const other of ['towerline.sqlite', 'towerline-2026-12-02-013608Z.sqlite.partial', 'towerline-2026-13-02-013608Z.sqlite', 'Towerline-2026-12-02-013608Z.sqlite', 'notes.txt', 'towerline-2026-02-30-000000Z.sqlite']) {
      expect(parseBackupFileName(other), other).toBeNull();
    }
  });
});

describe('retention', () => {
  const names = ['towerline-2026-12-01-000000Z.sqlite', 'notes.txt', 'towerline-2026-12-03-000000Z.sqlite', 'towerline-2026-12-02-000000Z.sqlite', 'towerline-2026-12-02-000000Z-1.sqlite', 'my-copy.sqlite'];

  it('keeps the newest N of ours and lists only the older ones of ours for deletion', () => {
    expect(ourBackups(names).map((b) => b.name)).toEqual(['towerline-2026-12-03-000000Z.sqlite', 'towerline-2026-12-02-000000Z-1.sqlite', 'towerline-2026-12-02-000000Z.sqlite', 'towerline-2026-12-01-000000Z.sqlite']);
    expect(beyondRetention(names, 2)).toEqual(['towerline-2026-12-02-000000Z.sqlite', 'towerline-2026-12-01-000000Z.sqlite']);
    expect(beyondRetention(names, 10)).toEqual([]);
  });

  it('never deletes the newest backup, whatever the count says', () => {
    expect(beyondRetention(names, 0)).toHaveLength(3);
  });
});

describe('the daily backup', () => {
  const now = at('2026-12-02T09:00:00Z');
  it('is due when there never was a backup, or the last good one is a day old', () => {
    expect(dailyBackupDue(now, null, null)).toBe(true);
    expect(dailyBackupDue(now, at('2026-12-01T09:00:00Z'), at('2026-12-01T09:00:00Z'))).toBe(true);
    expect(dailyBackupDue(now, at('2026-11-20T09:00:00Z'), at('2026-11-20T09:00:00Z'))).toBe(true);
  });
  it('is not due within a day of the last good one', () => {
    expect(dailyBackupDue(now, at('2026-12-01T09:00:01Z'), at('2026-12-01T09:00:01Z'))).toBe(false);
  });
  it('waits an hour after a failed attempt before trying again', () => {
    expect(dailyBackupDue(now, at('2026-11-30T09:00:00Z'), at('2026-12-02T08:30:00Z'))).toBe(false);
    expect(dailyBackupDue(now, null, at('2026-12-02T08:30:00Z'))).toBe(false);
    expect(dailyBackupDue(now, at('2026-11-30T09:00:00Z'), at('2026-12-02T07:59:00Z'))).toBe(true);
  });
});

describe('which datastores may be restored', () => {
  const known = [
    { id: '0100-a', checksum: 'x1' },
    { id: '0200-b', checksum: 'x2' },
    { id: '0300-c', checksum: 'x3' },
  ];
  it('accepts the same or an older version of the same history', () => {
    expect(refuseMigrations(known, known)).toBeNull();
    expect(refuseMigrations(known.slice(0, 2), known)).toBeNull();
  });
  it('refuses a datastore written by a newer version', () => {
    expect(refuseMigrations([...known, { id: '0900-later', checksum: 'y' }], known)).toMatch(/newer version of Towerline.*0900-later/);
  });
  it('refuses a migration that differs from ours', () => {
    expect(refuseMigrations([known[0]!, { id: '0200-b', checksum: 'changed' }], known)).toMatch(/0200-b differs/);
  });
  it('refuses something that is not a Towerline datastore', () => {
    expect(refuseMigrations([], known)).toMatch(/not a Towerline datastore/);
    expect(refuseMigrations([known[1]!], known)).toMatch(/not a Towerline datastore/);
  });
});
