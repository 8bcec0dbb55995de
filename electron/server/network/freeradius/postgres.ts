import pg from 'pg';
import type { FreeradiusState } from './desired';
import { type OwnedRow, TABLE_NAMES, TABLE_SPECS, type TableName, diffState } from './diff';

/**
 * FreeRADIUS's SQL tables in PostgreSQL, as Towerline reads and writes them. Towerline keeps the
 * stock FreeRADIUS schema (it creates a table only where it is missing) and remembers the rows it
 * wrote in a side table, `towerline_owned`, so it never changes or deletes a row the ISP keeps
 * there by hand.
 */

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  /** TLS with the server's certificate verified against the system's CAs. */
  ssl: boolean;
}

export interface ApplyCounts {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** FreeRADIUS's stock PostgreSQL schema for the tables Towerline provisions (schema.sql of 3.2). */
const STOCK_SCHEMA: Record<TableName, string[]> = {
  radcheck: [
    `CREATE TABLE IF NOT EXISTS radcheck (id serial PRIMARY KEY, UserName text NOT NULL DEFAULT '', Attribute text NOT NULL DEFAULT '', op VARCHAR(2) NOT NULL DEFAULT '==', Value text NOT NULL DEFAULT '')`,
    `CREATE INDEX IF NOT EXISTS radcheck_UserName ON radcheck (UserName, Attribute)`,
  ],
  radgroupcheck: [
    `CREATE TABLE IF NOT EXISTS radgroupcheck (id serial PRIMARY KEY, GroupName text NOT NULL DEFAULT '', Attribute text NOT NULL DEFAULT '', op VARCHAR(2) NOT NULL DEFAULT '==', Value text NOT NULL DEFAULT '')`,
    `CREATE INDEX IF NOT EXISTS radgroupcheck_GroupName ON radgroupcheck (GroupName, Attribute)`,
  ],
  radgroupreply: [
    `CREATE TABLE IF NOT EXISTS radgroupreply (id serial PRIMARY KEY, GroupName text NOT NULL DEFAULT '', Attribute text NOT NULL DEFAULT '', op VARCHAR(2) NOT NULL DEFAULT '=', Value text NOT NULL DEFAULT '')`,
    `CREATE INDEX IF NOT EXISTS radgroupreply_GroupName ON radgroupreply (GroupName, Attribute)`,
  ],
  radreply: [
    `CREATE TABLE IF NOT EXISTS radreply (id serial PRIMARY KEY, UserName text NOT NULL DEFAULT '', Attribute text NOT NULL DEFAULT '', op VARCHAR(2) NOT NULL DEFAULT '=', Value text NOT NULL DEFAULT '')`,
    `CREATE INDEX IF NOT EXISTS radreply_UserName ON radreply (UserName, Attribute)`,
  ],
  radusergroup: [
    `CREATE TABLE IF NOT EXISTS radusergroup (id serial PRIMARY KEY, UserName text NOT NULL DEFAULT '', GroupName text NOT NULL DEFAULT '', priority integer NOT NULL DEFAULT 0)`,
    `CREATE INDEX IF NOT EXISTS radusergroup_UserName ON radusergroup (UserName)`,
  ],
  nas: [
    `CREATE TABLE IF NOT EXISTS nas (id serial PRIMARY KEY, nasname text NOT NULL, shortname text NOT NULL, type text NOT NULL DEFAULT 'other', ports integer, secret text NOT NULL, server text, community text, description text)`,
    `CREATE INDEX IF NOT EXISTS nas_nasname ON nas (nasname)`,
  ],
};

const OWNED_TABLE = `CREATE TABLE IF NOT EXISTS towerline_owned (table_name text NOT NULL, row_id bigint NOT NULL, PRIMARY KEY (table_name, row_id))`;

/** One lock for every Towerline that provisions this database (desktop and server mode alike). */
const ADVISORY_LOCK = 0x746f7772; // "towr"

/** Column types for unnest(): text everywhere but radusergroup.priority. */
const pgType = (column: string) => (column === 'priority' ? 'int' : 'text');

export async function connect(target: PostgresTarget, timeoutMs = 10_000): Promise<pg.Client> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? undefined,
    ssl: target.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: 120_000,
    query_timeout: 180_000,
    application_name: 'towerline',
  });
  // A dropped connection is reported on the next query; an 'error' event without a listener would end the process.
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function ensureSchema(client: pg.Client): Promise<void> {
  for (const table of [...TABLE_NAMES, 'towerline_owned']) {
    const exists = await client.query<{ r: string | null }>('select to_regclass($1) as r', [table]);
    if (exists.rows[0]?.r) continue;
    for (const statement of table === 'towerline_owned' ? [OWNED_TABLE] : STOCK_SCHEMA[table as TableName]) await client.query(statement);
  }
}

async function readOwned(client: pg.Client, table: TableName): Promise<OwnedRow[]> {
  // Bookkeeping for rows someone deleted by hand: they are gone, so they are provisioned anew.
  await client.query(`delete from towerline_owned o where o.table_name = $1 and not exists (select 1 from ${table} t where t.id = o.row_id)`, [table]);
  const columns = TABLE_SPECS[table].columns.map((c) => `t.${c}`).join(', ');
  const result = await client.query<OwnedRow>(`select t.id, ${columns} from ${table} t join towerline_owned o on o.table_name = $1 and o.row_id = t.id`, [table]);
  return result.rows.map((r) => ({ ...r, id: Number(r.id) }));
}

async function apply(client: pg.Client, table: TableName, changes: ReturnType<typeof diffState>[TableName]): Promise<void> {
  const { columns } = TABLE_SPECS[table];
  if (changes.delete.length > 0) {
    await client.query(`delete from ${table} where id = any($1::bigint[])`, [changes.delete]);
    await client.query(`delete from towerline_owned where table_name = $1 and row_id = any($2::bigint[])`, [table, changes.delete]);
  }
  if (changes.update.length > 0) {
    const params = [changes.update.map((r) => r.id), ...columns.map((c) => changes.update.map((r) => r[c]))];
    const list = columns.map((c, i) => `$${i + 2}::${pgType(c)}[]`).join(', ');
    const set = columns.map((c) => `${c} = u.${c}`).join(', ');
    await client.query(`update ${table} t set ${set} from unnest($1::bigint[], ${list}) as u(id, ${columns.join(', ')}) where t.id = u.id`, params);
  }
  if (changes.insert.length > 0) {
    const params = columns.map((c) => changes.insert.map((r) => r[c]));
    const list = columns.map((c, i) => `$${i + 1}::${pgType(c)}[]`).join(', ');
    await client.query(
      `with ins as (insert into ${table} (${columns.join(', ')}) select * from unnest(${list}) returning id)
       insert into towerline_owned (table_name, row_id) select '${table}', id from ins`,
      params,
    );
  }
}

/**
 * Brings FreeRADIUS's tables to the desired state in one transaction, writing only the rows that
 * differ: a second run against unchanged data writes nothing.
 */
export async function provision(target: PostgresTarget, desired: FreeradiusState): Promise<ApplyCounts> {
  const client = await connect(target);
  try {
    await client.query('begin');
    try {
      await client.query('select pg_advisory_xact_lock($1)', [ADVISORY_LOCK]);
      await ensureSchema(client);
      const owned = {} as Record<TableName, OwnedRow[]>;
      for (const table of TABLE_NAMES) owned[table] = await readOwned(client, table);
      const changes = diffState(desired, owned);
      const counts: ApplyCounts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
      for (const table of TABLE_NAMES) {
        const c = changes[table];
        await apply(client, table, c);
        counts.inserted += c.insert.length;
        counts.updated += c.update.length;
        counts.deleted += c.delete.length;
        counts.unchanged += c.unchanged;
      }
      await client.query('commit');
      return counts;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}
