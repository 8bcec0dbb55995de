import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { organization, organizationFields } from '../../../shared/api/subscribers';
import type { Db } from '../db/open';

type Organization = z.output<typeof organization>;
type OrganizationFields = z.output<typeof organizationFields>;

function organizationQuery(db: Db) {
  return db
    .selectFrom('organizations as o')
    .select((eb) => [
      'o.id',
      'o.name',
      'o.kind',
      'o.phone',
      'o.email',
      'o.street',
      'o.city',
      'o.region',
      'o.postal_code',
      'o.country',
      'o.notes',
      eb.selectFrom('contacts').select(eb.fn.countAll<number>().as('n')).whereRef('organization_id', '=', 'o.id').as('contactCount'),
      eb.selectFrom('subscriptions').select(eb.fn.countAll<number>().as('n')).whereRef('organization_id', '=', 'o.id').as('subscriptionCount'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof organizationQuery>['executeTakeFirstOrThrow']>>;

function toOrganization({ postal_code, kind, contactCount, subscriptionCount, ...r }: Row): Organization {
  return { ...r, kind: kind as Organization['kind'], postalCode: postal_code, contactCount: Number(contactCount ?? 0), subscriptionCount: Number(subscriptionCount ?? 0) };
}

/** Stored columns of the given organization fields (what the forms write). */
export function organizationColumns(f: Partial<OrganizationFields>) {
  // Assignments rather than conditional spreads: an import runs this for every row.
  const c: {
    name?: OrganizationFields['name'];
    kind?: OrganizationFields['kind'];
    phone?: OrganizationFields['phone'];
    email?: OrganizationFields['email'];
    street?: OrganizationFields['street'];
    city?: OrganizationFields['city'];
    region?: OrganizationFields['region'];
    postal_code?: OrganizationFields['postalCode'];
    country?: OrganizationFields['country'];
    notes?: OrganizationFields['notes'];
  } = {};
  if (f.name !== undefined) c.name = f.name;
  if (f.kind !== undefined) c.kind = f.kind;
  if (f.phone !== undefined) c.phone = f.phone;
  if (f.email !== undefined) c.email = f.email;
  if (f.street !== undefined) c.street = f.street;
  if (f.city !== undefined) c.city = f.city;
  if (f.region !== undefined) c.region = f.region;
  if (f.postalCode !== undefined) c.postal_code = f.postalCode;
  if (f.country !== undefined) c.country = f.country;
  if (f.notes !== undefined) c.notes = f.notes;
  return c;
}

export async function getOrganization(db: Db, id: number): Promise<Organization> {
  const row = await organizationQuery(db).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Organization ${id} does not exist.`);
  return toOrganization(row);
}

export async function listOrganizations(db: Db, query: string | undefined, page: number, pageSize: number) {
  let base = db.selectFrom('organizations as o');
  if (query) base = base.where('o.name', 'like', `%${query}%`);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let q = organizationQuery(db).orderBy('o.name').limit(pageSize).offset((page - 1) * pageSize);
  if (query) q = q.where('o.name', 'like', `%${query}%`);
  return { rows: (await q.execute()).map(toOrganization), total: Number(total) };
}

export async function createOrganization(db: Db, input: OrganizationFields, now: Date): Promise<Organization> {
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('organizations')
    .values({ name: input.name, kind: input.kind, ...organizationColumns(input), created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getOrganization(db, id);
}

export async function updateOrganization(db: Db, id: number, patch: Partial<OrganizationFields>, now: Date): Promise<Organization> {
  await getOrganization(db, id);
  await db.updateTable('organizations').set({ ...organizationColumns(patch), updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getOrganization(db, id);
}

export async function deleteOrganization(db: Db, id: number): Promise<void> {
  const org = await getOrganization(db, id);
  if (org.contactCount > 0 || org.subscriptionCount > 0) {
    const parts = [
      org.contactCount > 0 && `${org.contactCount} contact${org.contactCount === 1 ? '' : 's'}`,
      org.subscriptionCount > 0 && `${org.subscriptionCount} subscription${org.subscriptionCount === 1 ? '' : 's'}`,
    ].filter(Boolean);
    throw new ApiError('refused', `${org.name} cannot be deleted: ${parts.join(' and ')} still belong to it.`);
  }
  await db.deleteFrom('organizations').where('id', '=', id).execute();
}
