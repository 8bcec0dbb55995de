import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from './schema';
import { toFtsQuery } from './search';

/**
 * Index lookups behind Ctrl+K's "find anything" (indexes of migration 1600 and earlier). Each is an
 * exact or prefix lookup, never a LIKE '%x%' scan. SQLite-specific (FTS5, NOCASE) and kept here.
 */

type Db = Kysely<Database>;
export type Lookup = { exact: string } | { prefix: string };

/** One thing a subscription holds that matched. */
export interface Holding {
  subscriptionId: number;
  /** The matched value as stored (the login, the address, the serial…). */
  value: string;
  /** The service, device or voucher batch it belongs to, for the hit's description. */
  owner: string | null;
  /** Login or voucher, for hotspot users; the device type for devices. */
  detail: string | null;
}

// Above any character staff can type: "ab" ≤ x < "ab\uffff" is "x starts with ab".
const END = '\uffff';

function range(column: ReturnType<typeof sql.ref>, l: Lookup, nocase: boolean) {
  const c = nocase ? sql`${column} collate nocase` : column;
  return 'exact' in l ? sql<SqlBool>`${c} = ${l.exact}` : sql<SqlBool>`${c} >= ${l.prefix} and ${c} < ${l.prefix + END}`;
}

async function rows(query: ReturnType<typeof sql<Holding>>, db: Db): Promise<Holding[]> {
  return (await query.execute(db)).rows;
}

export async function findByIp(db: Db, ip: Lookup, limit: number): Promise<Holding[]> {
  const services = await rows(
    sql<Holding>`select subscription_id as subscriptionId, ipv4_address as value, description as owner, null as detail from services
      where ipv4_address is not null and ${range(sql.ref('ipv4_address'), ip, false)} order by ipv4_address limit ${limit}`,
    db,
  );
  const devices = await rows(
    sql<Holding>`select subscription_id as subscriptionId, management_ip as value, coalesce(nullif(trim(coalesce(vendor, '') || ' ' || coalesce(model, '')), ''), type) as owner, type as detail from devices
      where ${range(sql.ref('management_ip'), ip, false)} order by management_ip limit ${limit}`,
    db,
  );
  return [...services, ...devices];
}

export async function findByMac(db: Db, mac: string, limit: number): Promise<{ services: Holding[]; devices: Holding[]; hotspot: Holding[] }> {
  const services = await rows(
    sql<Holding>`select subscription_id as subscriptionId, ${mac} as value, description as owner, null as detail from services where substr(mac_addresses, 1, 17) = ${mac}
      union
      select subscription_id, ${mac}, description, null from services where length(mac_addresses) > 17 and instr(mac_addresses, ${mac}) > 0
      limit ${limit}`,
    db,
  );
  const devices = await rows(
    sql<Holding>`select subscription_id as subscriptionId, mac_address as value, coalesce(nullif(trim(coalesce(vendor, '') || ' ' || coalesce(model, '')), ''), type) as owner, type as detail from devices
      where mac_address = ${mac} limit ${limit}`,
    db,
  );
  const hotspot = await rows(
    sql<Holding>`select subscription_id as subscriptionId, login as value, batch_id as owner, kind as detail from hotspot_users where mac_binding = ${mac} limit ${limit}`,
    db,
  );
  return { services, devices, hotspot };
}

/** Service logins (PPPoE and the like) of services that are not Archived, regardless of case. */
export async function findServiceLogins(db: Db, l: Lookup, limit: number): Promise<Holding[]> {
  return rows(
    sql<Holding>`select subscription_id as subscriptionId, login as value, description as owner, null as detail from services
      where status <> 'Archived' and ${range(sql.ref('login'), l, true)} order by login collate nocase limit ${limit}`,
    db,
  );
}

/** Hotspot logins and voucher codes (`detail` says which), regardless of case. */
export async function findHotspotUsers(db: Db, l: Lookup, limit: number): Promise<Holding[]> {
  return rows(
    sql<Holding>`select subscription_id as subscriptionId, login as value, batch_id as owner, kind as detail from hotspot_users
      where ${range(sql.ref('login'), l, true)} order by login collate nocase limit ${limit}`,
    db,
  );
}

export async function findDeviceSerials(db: Db, l: Lookup, limit: number): Promise<Holding[]> {
  return rows(
    sql<Holding>`select subscription_id as subscriptionId, serial as value, coalesce(nullif(trim(coalesce(vendor, '') || ' ' || coalesce(model, '')), ''), type) as owner, type as detail from devices
      where ${range(sql.ref('serial'), l, true)} order by serial collate nocase limit ${limit}`,
    db,
  );
}

/** Invoices by number; `owner` carries the invoice's status. */
export async function findInvoices(db: Db, l: Lookup, limit: number): Promise<Holding[]> {
  return rows(
    sql<Holding>`select subscription_id as subscriptionId, number as value, status as owner, null as detail from invoices
      where number is not null and ${range(sql.ref('number'), l, false)} order by number limit ${limit}`,
    db,
  );
}

/** Subscriptions of the organizations whose name matches every typed word (as word starts). */
export async function findByOrganization(db: Db, query: string, limit: number): Promise<Holding[]> {
  const fts = toFtsQuery(query);
  if (!fts) return [];
  return rows(
    sql<Holding>`select s.id as subscriptionId, o.name as value, null as owner, null as detail
      from organization_search f join organizations o on o.id = f.rowid join subscriptions s on s.organization_id = o.id
      where organization_search match ${fts} order by o.name, s.unique_id limit ${limit}`,
    db,
  );
}

/** A list filter: the subscription's organization matches the query (or null: nothing can match). */
export function organizationMatches(query: string, organizationColumn: string): Expression<SqlBool> | null {
  const fts = toFtsQuery(query);
  if (!fts) return null;
  return sql<SqlBool>`${sql.ref(organizationColumn)} in (select rowid from organization_search where organization_search match ${fts})`;
}
