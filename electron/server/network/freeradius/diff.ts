import type { FreeradiusState } from './desired';

/**
 * The least change that brings FreeRADIUS's tables from what Towerline owns there now to the
 * desired state. Pure: rows in, insert/update/delete lists out. Only rows Towerline owns are ever
 * passed in as `owned`, so the ISP's own rows can never be updated or deleted.
 */

export type TableName = keyof FreeradiusState;
export type Row = Record<string, string | number>;
export type OwnedRow = Row & { id: number };

interface TableSpec {
  /** Columns Towerline writes, in insert order. */
  columns: readonly string[];
  /** Columns that identify a row; the others are its values. */
  identity: readonly string[];
}

export const TABLE_SPECS: Record<TableName, TableSpec> = {
  radcheck: { columns: ['username', 'attribute', 'op', 'value'], identity: ['username', 'attribute'] },
  radreply: { columns: ['username', 'attribute', 'op', 'value'], identity: ['username', 'attribute'] },
  radgroupcheck: { columns: ['groupname', 'attribute', 'op', 'value'], identity: ['groupname', 'attribute'] },
  radgroupreply: { columns: ['groupname', 'attribute', 'op', 'value'], identity: ['groupname', 'attribute'] },
  radusergroup: { columns: ['username', 'groupname', 'priority'], identity: ['username', 'groupname'] },
  nas: { columns: ['nasname', 'shortname', 'type', 'secret', 'description'], identity: ['nasname'] },
};

export const TABLE_NAMES = Object.keys(TABLE_SPECS) as TableName[];

/** The desired state as rows with FreeRADIUS's column names. */
export function rowsOf(state: FreeradiusState): Record<TableName, Row[]> {
  const byUser = (rows: FreeradiusState['radcheck']) => rows.map((r) => ({ username: r.name, attribute: r.attribute, op: r.op, value: r.value }));
  const byGroup = (rows: FreeradiusState['radgroupreply']) => rows.map((r) => ({ groupname: r.name, attribute: r.attribute, op: r.op, value: r.value }));
  return {
    radcheck: byUser(state.radcheck),
    radreply: byUser(state.radreply),
    radgroupcheck: byGroup(state.radgroupcheck),
    radgroupreply: byGroup(state.radgroupreply),
    radusergroup: state.radusergroup.map((r) => ({ ...r })),
    nas: state.nas.map((r) => ({ ...r })),
  };
}

export interface TableChanges {
  insert: Row[];
  update: OwnedRow[];
  /** Ids of owned rows to delete. */
  delete: number[];
  unchanged: number;
}

/** Identity plus the occurrence number, so an attribute a user has twice keeps two rows. */
function keyed<R extends Row>(rows: readonly R[], spec: TableSpec): Map<string, R> {
  const seen = new Map<string, number>();
  const out = new Map<string, R>();
  for (const row of rows) {
    const identity = spec.identity.map((c) => String(row[c])).join('\u0000');
    const n = seen.get(identity) ?? 0;
    seen.set(identity, n + 1);
    out.set(`${identity}\u0000${n}`, row);
  }
  return out;
}

export function diffTable(table: TableName, desired: readonly Row[], owned: readonly OwnedRow[]): TableChanges {
  const spec = TABLE_SPECS[table];
  const values = spec.columns.filter((c) => !spec.identity.includes(c));
  const want = keyed(desired, spec);
  const have = keyed([...owned].sort((a, b) => a.id - b.id), spec);
  const changes: TableChanges = { insert: [], update: [], delete: [], unchanged: 0 };
  for (const [key, row] of want) {
    const current = have.get(key);
    if (!current) changes.insert.push(row);
    else if (values.every((c) => String(current[c] ?? '') === String(row[c] ?? ''))) changes.unchanged += 1;
    else changes.update.push({ ...row, id: current.id });
  }
  for (const [key, row] of have) if (!want.has(key)) changes.delete.push(row.id);
  return changes;
}

export function diffState(desired: FreeradiusState, owned: Record<TableName, OwnedRow[]>): Record<TableName, TableChanges> {
  const rows = rowsOf(desired);
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, diffTable(t, rows[t], owned[t])])) as Record<TableName, TableChanges>;
}
