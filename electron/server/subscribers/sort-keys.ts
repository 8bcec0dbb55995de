import type { Db } from '../db/open';

/**
 * Subscriptions keep copies of their contact's and engineer's names as sort keys, so the list
 * sorts 100,000 rows by an index instead of joining and sorting them all on every page.
 * These functions are the only writers of those copies.
 */
export const contactSortName = (firstName: string, lastName: string) => `${lastName} ${firstName}`.toLocaleLowerCase('en');
export const engineerSortName = (name: string) => name.toLocaleLowerCase('en');

/**
 * The key the list sorts "Name" by (`name_sort_key`): a subscription named after its contact sorts by
 * family name, any other name as written. SQLite's triggers keep it (migration 1700); a bulk writer
 * that gives it on insert skips their extra UPDATE per row (migration 2500), so this is their
 * expression to the letter: SQLite's trim() strips spaces only and its lower() folds ASCII only.
 */
export function subscriptionNameSortKey(name: string, firstName: string, lastName: string): string {
  const trimmed = name.replace(/^ +| +$/g, '');
  const key = trimmed === `${firstName} ${lastName}` ? `${lastName} ${firstName}` : trimmed;
  return key.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export async function sortKeysFor(db: Db, contactId: number, engineerId: number): Promise<{ contact_sort_name: string; engineer_sort_name: string }> {
  const contact = await db.selectFrom('contacts').select(['first_name', 'last_name']).where('id', '=', contactId).executeTakeFirstOrThrow();
  const engineer = await db.selectFrom('staff').select('name').where('id', '=', engineerId).executeTakeFirstOrThrow();
  return { contact_sort_name: contactSortName(contact.first_name, contact.last_name), engineer_sort_name: engineerSortName(engineer.name) };
}

export async function refreshContactSortName(db: Db, contactId: number): Promise<void> {
  const c = await db.selectFrom('contacts').select(['first_name', 'last_name']).where('id', '=', contactId).executeTakeFirstOrThrow();
  await db.updateTable('subscriptions').set({ contact_sort_name: contactSortName(c.first_name, c.last_name) }).where('contact_id', '=', contactId).execute();
}

export async function refreshEngineerSortName(db: Db, staffId: number): Promise<void> {
  const s = await db.selectFrom('staff').select('name').where('id', '=', staffId).executeTakeFirstOrThrow();
  await db.updateTable('subscriptions').set({ engineer_sort_name: engineerSortName(s.name) }).where('engineer_id', '=', staffId).execute();
}
