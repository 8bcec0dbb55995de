import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * Lookups for what a support call starts with: an organization's name, an IP address, a MAC, a
 * device serial (logins, voucher codes and invoice numbers already have indexes). Each is an exact
 * or prefix lookup on an index, so Ctrl+K stays fast at 100,000 subscriptions.
 *
 * Organization names get a full-text index kept current by triggers, so "big sky" finds "Big Sky
 * Marina" word by word as subscription names do, without every organization write having to
 * remember it.
 */
export const migration: Migration = {
  id: '1600-find-anything-indexes',
  steps: (db) => [
    sql`create virtual table organization_search using fts5(name, tokenize = 'unicode61 remove_diacritics 2')`,
    sql`insert into organization_search (rowid, name) select id, name from organizations`,
    sql`create trigger organization_search_insert after insert on organizations
        begin insert into organization_search (rowid, name) values (new.id, new.name); end`,
    sql`create trigger organization_search_update after update of name on organizations
        begin update organization_search set name = new.name where rowid = new.id; end`,
    sql`create trigger organization_search_delete after delete on organizations
        begin delete from organization_search where rowid = old.id; end`,
    db.schema.createIndex('services_ipv4_address').on('services').column('ipv4_address').where(sql.ref('ipv4_address'), 'is not', null),
    // MACs are stored normalized and comma-separated: the first one (the one used where only one
    // fits, nearly always the only one) by expression, the rare longer lists by a partial index
    // small enough to scan.
    db.schema.createIndex('services_first_mac').on('services').expression(sql`substr(mac_addresses, 1, 17)`),
    db.schema.createIndex('services_more_macs').on('services').column('mac_addresses').where(sql`length(mac_addresses)`, '>', sql.lit(17)),
    db.schema.createIndex('devices_serial_nocase').on('devices').expression(sql`serial collate nocase`),
    db.schema.createIndex('devices_management_ip').on('devices').column('management_ip'),
    db.schema.createIndex('hotspot_users_mac_binding').on('hotspot_users').column('mac_binding'),
  ],
};
