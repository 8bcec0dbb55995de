import { sql } from 'kysely';
import type { Db } from './open';

/**
 * Who already holds a login, letters compared regardless of case (the rule migration 0500 enforces
 * with triggers): a live (not Archived) service or a hotspot user, other than the record being saved.
 * Answers in words for the 409, or null when the login is free.
 */
export async function loginHolder(db: Db, login: string, except: { serviceId?: number | null; hotspotUserId?: number | null } = {}): Promise<string | null> {
  const service = await db
    .selectFrom('services as s')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['s.login', 'sub.unique_id'])
    .where(sql<boolean>`s.login = ${login} collate nocase`)
    .where('s.status', '<>', 'Archived')
    .$if(except.serviceId != null, (q) => q.where('s.id', '<>', except.serviceId!))
    .executeTakeFirst();
  if (service) return `Login "${login}" is already used by a service of ${service.unique_id}${service.login !== login ? ` (as "${service.login}"; letters are compared regardless of case)` : ''}`;
  const hotspot = await db
    .selectFrom('hotspot_users as h')
    .innerJoin('subscriptions as sub', 'sub.id', 'h.subscription_id')
    .select(['h.login', 'h.kind', 'sub.unique_id'])
    .where(sql<boolean>`h.login = ${login} collate nocase`)
    .$if(except.hotspotUserId != null, (q) => q.where('h.id', '<>', except.hotspotUserId!))
    .executeTakeFirst();
  if (hotspot) {
    const what = hotspot.kind === 'voucher' ? 'a hotspot voucher' : 'a hotspot user';
    return `Login "${login}" is already used by ${what} of ${hotspot.unique_id}${hotspot.login !== login ? ` (as "${hotspot.login}"; letters are compared regardless of case)` : ''}`;
  }
  return null;
}
