import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectOffThread } from './inspect';

const dir = mkdtempSync(join(tmpdir(), 'towerline-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Towerline-shaped file of some megabytes, so the integrity check has pages to read. */
function datastoreLike(name: string, rows: number): string {
  const file = join(dir, name);
  const db = new BetterSqlite3(file);
  db.exec("create table towerline_migrations (id text primary key, checksum text not null); insert into towerline_migrations values ('0001', 'abc')");
  db.exec('create table filler (id integer primary key, body text not null); create index filler_body on filler(body)');
  const insert = db.prepare('insert into filler (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) insert.run(`row ${i} ${'x'.repeat(200)}`);
  })();
  db.close();
  return file;
}

describe("restore's integrity check off the main thread", () => {
  it('runs in a worker thread while the main thread keeps answering', async () => {
    const file = datastoreLike('big.sqlite', 60_000);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const checked = inspectOffThread(file);
    // The main thread is free meanwhile: a query on another connection answers before the check ends.
    const probe = new BetterSqlite3(':memory:');
    const answeredFirst = await Promise.race([new Promise<boolean>((r) => setTimeout(() => r(probe.prepare('select 1 as one').get() !== undefined), 1)), checked.then(() => false)]);
    const { report, threadId } = await checked;
    clearInterval(timer);
    probe.close();
    expect(threadId).toBeGreaterThan(0);
    expect(report).toEqual({ kind: 'datastore', migrations: [{ id: '0001', checksum: 'abc' }] });
    expect(answeredFirst).toBe(true);
    expect(ticks).toBeGreaterThan(0);
  });

  it('reports a damaged file from the worker with SQLite\'s own words', async () => {
    const file = datastoreLike('damaged.sqlite', 5_000);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 4096 * 3);
    closeSync(fd);
    const { report, threadId } = await inspectOffThread(file);
    expect(threadId).toBeGreaterThan(0);
    expect(report.kind).toBe('corrupt');
  });
});
