import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { contact, contactFields } from '../../../shared/api/subscribers';
import type { Db } from '../db/open';
import type { Database } from '../db/schema';
import { requireReference } from '../db/references';
import { reindexSubscriptions } from '../db/search';
import { refreshContactSortName } from './sort-keys';

type Contact = z.output<typeof contact>;
type ContactFields = z.output<typeof contactFields>;

function contactQuery(db: Db) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('organizations as o', 'o.id', 'c.organization_id')
    .selectAll('c')
    .select((eb) => [
      'o.name as organizationName',
      eb.selectFrom('subscriptions').select(eb.fn.countAll<number>().as('n')).whereRef('contact_id', '=', 'c.id').as('subscriptionCount'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof contactQuery>['executeTakeFirstOrThrow']>>;

function toContact(r: Row): Contact {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    displayName: `${r.first_name} ${r.last_name}`,
    organizationId: r.organization_id,
    organizationName: r.organizationName,
    phones: JSON.parse(r.phones) as string[],
    emails: JSON.parse(r.emails) as string[],
    street: r.street,
    city: r.city,
    region: r.region,
    postalCode: r.postal_code,
    country: r.country,
    latitude: r.latitude,
    longitude: r.longitude,
    notes: r.notes,
    subscriptionCount: Number(r.subscriptionCount ?? 0),
  };
}

/** Stored columns of the given contact fields (what the forms write). */
export function contactColumns(f: Partial<ContactFields>) {
  // Assignments rather than conditional spreads: an import runs this for every row.
  const c: {
    first_name?: ContactFields['firstName'];
    last_name?: ContactFields['lastName'];
    organization_id?: ContactFields['organizationId'];
    phones?: string;
    emails?: string;
    street?: ContactFields['street'];
    city?: ContactFields['city'];
    region?: ContactFields['region'];
    postal_code?: ContactFields['postalCode'];
    country?: ContactFields['country'];
    latitude?: ContactFields['latitude'];
    longitude?: ContactFields['longitude'];
    notes?: ContactFields['notes'];
  } = {};
  if (f.firstName !== undefined) c.first_name = f.firstName;
  if (f.lastName !== undefined) c.last_name = f.lastName;
  if (f.organizationId !== undefined) c.organization_id = f.organizationId;
  if (f.phones !== undefined) c.phones = JSON.stringify(f.phones);
  if (f.emails !== undefined) c.emails = JSON.stringify(f.emails);
  if (f.street !== undefined) c.street = f.street;
  if (f.city !== undefined) c.city = f.city;
  if (f.region !== undefined) c.region = f.region;
  if (f.postalCode !== undefined) c.postal_code = f.postalCode;
  if (f.country !== undefined) c.country = f.country;
  if (f.latitude !== undefined) c.latitude = f.latitude;
  if (f.longitude !== undefined) c.longitude = f.longitude;
  if (f.notes !== undefined) c.notes = f.notes;
  return c;
}

export async function getContact(db: Db, id: number): Promise<Contact> {
  const row = await contactQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Contact ${id} does not exist.`);
  return toContact(row);
}

export async function listContacts(db: Db, query: string | undefined, page: number, pageSize: number) {
  const like = query ? `%${query}%` : null;
  const matches = (eb: ExpressionBuilder<Database & { c: Database['contacts'] }, 'c'>) =>
    eb.or([eb('c.first_name', 'like', like), eb('c.last_name', 'like', like), eb('c.phones', 'like', like), eb('c.emails', 'like', like)]);
  let count = db.selectFrom('contacts as c');
  let rows = contactQuery(db);
  if (like) {
    count = count.where(matches);
    rows = rows.where(matches);
  }
  const { total } = await count.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const result = await rows.orderBy('c.last_name').orderBy('c.first_name').limit(pageSize).offset((page - 1) * pageSize).execute();
  return { rows: result.map(toContact), total: Number(total) };
}

export async function createContact(db: Db, input: ContactFields, now: Date): Promise<Contact> {
  if (input.organizationId) await requireReference(db, 'organizations', input.organizationId, 'organizationId', 'organization');
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('contacts')
    .values({ first_name: input.firstName, last_name: input.lastName, ...contactColumns(input), created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getContact(db, id);
}

export async function updateContact(db: Db, id: number, patch: Partial<ContactFields>, now: Date): Promise<Contact> {
  await getContact(db, id);
  if (patch.organizationId) await requireReference(db, 'organizations', patch.organizationId, 'organizationId', 'organization');
  await db.updateTable('contacts').set({ ...contactColumns(patch), updated_at: now.toISOString() }).where('id', '=', id).execute();
  if (patch.firstName !== undefined || patch.lastName !== undefined) await refreshContactSortName(db, id);
  // Names, phones and emails of the contact are part of its subscriptions' search documents.
  const subs = await db.selectFrom('subscriptions').select('id').where('contact_id', '=', id).execute();
  await reindexSubscriptions(db, subs.map((s) => s.id));
  return getContact(db, id);
}

export async function deleteContact(db: Db, id: number): Promise<void> {
  const c = await getContact(db, id);
  if (c.subscriptionCount > 0) {
    throw new ApiError(
      'refused',
      `${c.displayName} is the contact of ${c.subscriptionCount} subscription${c.subscriptionCount === 1 ? '' : 's'}; delete or reassign ${c.subscriptionCount === 1 ? 'it' : 'them'} first.`,
    );
  }
  await db.deleteFrom('contacts').where('id', '=', id).execute();
}
