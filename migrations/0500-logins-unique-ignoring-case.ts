import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * A login is unique regardless of case across live services (not Archived) and hotspot users:
 * routers and RADIUS servers differ on whether "alice" and "ALICE" are one user, so staff must not
 * be able to create both. Triggers, not a unique index, so a datastore that already holds two
 * logins differing only by case still opens; neither can be saved again under a clashing login
 * until one is renamed. Case is folded as SQLite's NOCASE does (A–Z), which is what logins use.
 * SQLite allows one writer at a time, so a trigger's check and the write are one step.
 * The same spelling twice within one table is left to the unique indexes of 0300 and 0340.
 * The message is `conflict:login:…`, which the dispatcher answers as a 409 naming `login`.
 */
const serviceClash = sql`
  select raise(abort, 'conflict:login:This login is already used (letters compared regardless of case) by another service or a hotspot user')
  where exists (select 1 from services s where s.login = new.login collate nocase and s.login <> new.login and s.status <> 'Archived' and s.id <> new.id)
     or exists (select 1 from hotspot_users h where h.login = new.login collate nocase)`;

const hotspotClash = sql`
  select raise(abort, 'conflict:login:This login is already used (letters compared regardless of case) by a service or another hotspot user')
  where exists (select 1 from hotspot_users h where h.login = new.login collate nocase and h.login <> new.login and h.id <> new.id)
     or exists (select 1 from services s where s.login = new.login collate nocase and s.status <> 'Archived')`;

export const migration: Migration = {
  id: '0500-logins-unique-ignoring-case',
  steps: (db) => [
    db.schema.createIndex('services_login_nocase').on('services').expression(sql`login collate nocase`).where(sql.ref('status'), '<>', sql.lit('Archived')),
    db.schema.createIndex('hotspot_users_login_nocase').on('hotspot_users').expression(sql`login collate nocase`),
    sql`create trigger services_login_insert before insert on services
        when new.login is not null and new.status <> 'Archived'
        begin ${serviceClash}; end`,
    sql`create trigger services_login_update before update of login, status on services
        when new.login is not null and new.status <> 'Archived'
          and (old.login is null or old.login <> new.login or old.status = 'Archived')
        begin ${serviceClash}; end`,
    sql`create trigger hotspot_users_login_insert before insert on hotspot_users
        begin ${hotspotClash}; end`,
    sql`create trigger hotspot_users_login_update before update of login on hotspot_users
        when old.login <> new.login
        begin ${hotspotClash}; end`,
  ],
};
