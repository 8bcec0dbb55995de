import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteOnJsonIds, insertJsonArraysForIds, jsonIds, setOnJsonIds, upsertJsonRows } from './json-rows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: Kysely<any>;
const rows = async () => (await sql<{ id: number; stage: string; note: string | null }>`select id, stage, note from t order by id`.execute(db)).rows;

beforeEach(async () => {
  db = new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await sql`create table t (id integer primary key, stage text not null, note text) strict`.execute(db);
  await sql`insert into t (id, stage, note) values (1, 'none', null), (2, 'none', 'x'), (3, 'none', null)`.execute(db);
});
afterEach(async () => {
  await db.destroy();
});

describe('batch writes by a list of ids', () => {
  it('set the same values on exactly the rows listed, and nothing for an empty list', async () => {
    await setOnJsonIds(db, 't', { stage: 'suspended', note: null }, [1, 3, 99]);
    await setOnJsonIds(db, 't', { stage: 'never' }, []);
    expect(await rows()).toEqual([
      { id: 1, stage: 'suspended', note: null },
      { id: 2, stage: 'none', note: 'x' },
      { id: 3, stage: 'suspended', note: null },
    ]);
  });
  it('insert rows and answer each its own id, in order, after the top rows were deleted', async () => {
    await deleteOnJsonIds(db, 't', [2, 3]);
    const ids = await insertJsonArraysForIds(db, 't', ['stage', 'note'], [['a', '1'], ['b', null], ['c', '3']]);
    expect(ids).toEqual([2, 3, 4]);
    expect(await rows()).toEqual([
      { id: 1, stage: 'none', note: null },
      { id: 2, stage: 'a', note: '1' },
      { id: 3, stage: 'b', note: null },
      { id: 4, stage: 'c', note: '3' },
    ]);
    expect(await insertJsonArraysForIds(db, 't', ['stage'], [])).toEqual([]);
  });
  it('answer the ids an AUTOINCREMENT table gives past a deleted top row', async () => {
    await sql`create table a (id integer primary key autoincrement, stage text not null) strict`.execute(db);
    await insertJsonArraysForIds(db, 'a', ['stage'], [['one'], ['two'], ['three']]);
    await deleteOnJsonIds(db, 'a', [3]);
    expect(await insertJsonArraysForIds(db, 'a', ['stage'], [['four'], ['five']])).toEqual([4, 5]);
    const stored = await sql<{ id: number; stage: string }>`select id, stage from a where id > 3 order by id`.execute(db);
    expect(stored.rows).toEqual([
      { id: 4, stage: 'four' },
      { id: 5, stage: 'five' },
    ]);
  });
  it('refuse to guess ids when SQLite did not number the rows above the largest', async () => {
    await sql`insert into t (id, stage) values (9223372036854775807, 'top')`.execute(db);
    await expect(insertJsonArraysForIds(db, 't', ['stage', 'note'], [['a', null]])).rejects.toThrow(/rows inserted/);
  });
  it('delete exactly the rows listed', async () => {
    await deleteOnJsonIds(db, 't', [2, 3]);
    expect((await rows()).map((r) => r.id)).toEqual([1]);
  });
  it('insert new rows and overwrite every other column of existing ones', async () => {
    await upsertJsonRows(db, 't', 'id', [
      { id: 2, stage: 'throttle', note: null },
      { id: 4, stage: 'notice', note: 'new' },
    ]);
    expect(await rows()).toEqual([
      { id: 1, stage: 'none', note: null },
      { id: 2, stage: 'throttle', note: null },
      { id: 3, stage: 'none', note: null },
      { id: 4, stage: 'notice', note: 'new' },
    ]);
  });
});

describe('reads by a list of ids', () => {
  it('select exactly the rows listed, any number of them, and none for an empty list', async () => {
    const ids = (list: number[]) => db.selectFrom('t').select('id').where('id', 'in', jsonIds(list)).orderBy('id').execute();
    expect(await ids([3, 1, 99])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await ids([])).toEqual([]);
    expect(await ids(Array.from({ length: 40_000 }, (_, i) => i))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
