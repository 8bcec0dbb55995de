import type { SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { SUBSCRIPTION_SORT_COLUMNS, statusChange, subscription, subscriptionFields, subscriptionSummaryRow } from '../../../shared/api/subscribers';
import { type SubscriptionStatus, checkTransition } from '../../../shared/domain/subscription-status';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import type { Database } from '../db/schema';
import type { SubscriptionsTable } from './tables';
import { requireReference } from '../db/references';
import { reindexSubscriptions, removeFromSearch, subscriptionMatches } from '../db/search';
import { organizationMatches } from '../db/find';
import { nextSequenceValue } from '../db/sequences';
import { sortKeysFor } from './sort-keys';
import { formatUniqueId } from './unique-id';
import { countSubscriptionItems } from './counts';
import { onSubscriptionStatusChange, onSubscriptionStatusChanges } from './status-effects';
import { settleSuspensionEnds } from '../billing/suspensions';
import { insertValues, jsonIds, setOnJsonIds } from '../db/json-rows';

type Subscription = z.output<typeof subscription>;
type SummaryRow = z.output<typeof subscriptionSummaryRow>;
type Fields = z.output<typeof subscriptionFields>;

type SubscriptionsFrom = SelectQueryBuilder<Database & { s: SubscriptionsTable }, 's', {}>; // eslint-disable-line @typescript-eslint/no-empty-object-type

function summaryQuery(from: SubscriptionsFrom) {
  return from
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .innerJoin('staff as e', 'e.id', 's.engineer_id')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select([
      's.id',
      's.unique_id',
      's.name',
      's.status',
      's.contact_id',
      'c.first_name',
      'c.last_name',
      'o.name as organization_name',
      's.engineer_id',
      'e.name as engineer_name',
      's.bill_day',
      's.created_at',
    ]);
}

type SummaryDbRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryDbRow): SummaryRow {
  return {
    id: r.id,
    uniqueId: r.unique_id,
    name: r.name,
    status: r.status as SubscriptionStatus,
    contactId: r.contact_id,
    contactName: `${r.first_name} ${r.last_name}`,
    organizationName: r.organization_name,
    engineerId: r.engineer_id,
    engineerName: r.engineer_name,
    billDay: r.bill_day,
    createdAt: r.created_at,
  };
}

export async function getSubscription(db: Db, id: number): Promise<Subscription> {
  const row = await summaryQuery(db.selectFrom('subscriptions as s'))
    .select(['s.organization_id', 's.notification_level', 's.description', 's.service_password', 's.updated_at', 'c.phones', 'c.emails'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Subscription ${id} does not exist.`);
  return {
    ...toSummary(row),
    organizationId: row.organization_id,
    notificationLevel: row.notification_level as Subscription['notificationLevel'],
    description: row.description,
    servicePassword: row.service_password,
    contactPhones: JSON.parse(row.phones) as string[],
    contactEmails: JSON.parse(row.emails) as string[],
    updatedAt: row.updated_at,
    counts: await countSubscriptionItems(db, id),
  };
}

/** What the subscription list shows and in which order (its page aside). */
export type SubscriptionListFilter = Omit<ListSubscriptionsInput, 'page' | 'pageSize'>;

export interface ListSubscriptionsInput {
  query?: string;
  status?: SubscriptionStatus;
  engineerId?: number;
  contactId?: number;
  organizationId?: number;
  sortBy: (typeof SUBSCRIPTION_SORT_COLUMNS)[number];
  sortDirection: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

const SORT_COLUMN = {
  uniqueId: 's.unique_id',
  name: 's.name_sort_key',
  status: 's.status',
  contactName: 's.contact_sort_name',
  engineerName: 's.engineer_sort_name',
  createdAt: 's.created_at',
} as const;

/** The list's filters as one query on `subscriptions` alone (filters and sort keys all live there); null when the search matches nothing. */
function filteredSubscriptions(db: Db, input: SubscriptionListFilter): SubscriptionsFrom | null {
  const match = input.query ? subscriptionMatches(input.query, 's.id') : null;
  if (input.query && !match) return null;
  let filtered: SubscriptionsFrom = db.selectFrom('subscriptions as s');
  // The organization counts as part of the name: "Big Sky Marina" lists every slip of the marina.
  const byOrganization = input.query ? organizationMatches(input.query, 's.organization_id') : null;
  if (match && byOrganization) filtered = filtered.where((eb) => eb.or([match, byOrganization]));
  if (input.status) filtered = filtered.where('s.status', '=', input.status);
  if (input.engineerId) filtered = filtered.where('s.engineer_id', '=', input.engineerId);
  if (input.contactId) filtered = filtered.where('s.contact_id', '=', input.contactId);
  if (input.organizationId) filtered = filtered.where('s.organization_id', '=', input.organizationId);
  return filtered;
}

function inListOrder(filtered: SubscriptionsFrom, input: SubscriptionListFilter) {
  // Sorting by the very column a filter pins is sorting by the tie-breaker alone; saying so lets
  // SQLite walk the filter's index in order instead of sorting every matching row.
  const pinned = (input.sortBy === 'engineerName' && input.engineerId) || (input.sortBy === 'status' && input.status);
  let ordered = filtered.select('s.id');
  if (!pinned) ordered = ordered.orderBy(SORT_COLUMN[input.sortBy], input.sortDirection);
  return ordered.orderBy('s.unique_id', input.sortDirection);
}

/** The list's rows for the given ids, in the order of `ids`. */
export async function subscriptionSummaries(db: Db, ids: readonly number[]): Promise<SummaryRow[]> {
  if (ids.length === 0) return [];
  const rows = await summaryQuery(db.selectFrom('subscriptions as s')).where('s.id', 'in', jsonIds(ids)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => toSummary(byId.get(id)!));
}

/**
 * Two steps, so a page of a 100,000-row list costs an index walk and 50 joins:
 * first the page's ids from `subscriptions` alone, then the joined rows for just those ids.
 */
export async function listSubscriptions(db: Db, input: ListSubscriptionsInput): Promise<{ rows: SummaryRow[]; total: number }> {
  const filtered = filteredSubscriptions(db, input);
  if (!filtered) return { rows: [], total: 0 };
  const { total } = await filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const page = await inListOrder(filtered, input)
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute();
  return { rows: await subscriptionSummaries(db, page.map((r) => r.id)), total: Number(total) };
}

/** Every id the list would show, in its order (an export walks these in batches instead of paging with OFFSET). */
export async function subscriptionIdsInListOrder(db: Db, input: SubscriptionListFilter): Promise<number[]> {
  const filtered = filteredSubscriptions(db, input);
  if (!filtered) return [];
  return (await inListOrder(filtered, input).execute()).map((r) => r.id);
}

async function checkReferences(db: Db, f: Partial<Fields>): Promise<void> {
  if (f.contactId !== undefined) await requireReference(db, 'contacts', f.contactId, 'contactId', 'contact');
  if (f.engineerId !== undefined) {
    const engineer = await db.selectFrom('staff').select(['active', 'name']).where('id', '=', f.engineerId).executeTakeFirst();
    if (!engineer) throw fieldError('engineerId', `No staff member ${f.engineerId}`);
    if (!engineer.active) throw fieldError('engineerId', `${engineer.name} is no longer active; choose an active engineer`);
  }
  if (f.organizationId) await requireReference(db, 'organizations', f.organizationId, 'organizationId', 'organization');
}

/** Stored columns of the given subscription fields (what the forms write). */
export function subscriptionColumns(f: Partial<Fields>) {
  // Assignments rather than conditional spreads: an import runs this for every row.
  const c: {
    contact_id?: Fields['contactId'];
    organization_id?: Fields['organizationId'];
    name?: Fields['name'];
    engineer_id?: Fields['engineerId'];
    notification_level?: Fields['notificationLevel'];
    description?: Fields['description'];
    bill_day?: Fields['billDay'];
    service_password?: Fields['servicePassword'];
  } = {};
  if (f.contactId !== undefined) c.contact_id = f.contactId;
  if (f.organizationId !== undefined) c.organization_id = f.organizationId;
  if (f.name !== undefined) c.name = f.name;
  if (f.engineerId !== undefined) c.engineer_id = f.engineerId;
  if (f.notificationLevel !== undefined) c.notification_level = f.notificationLevel;
  if (f.description !== undefined) c.description = f.description;
  if (f.billDay !== undefined) c.bill_day = f.billDay;
  if (f.servicePassword !== undefined) c.service_password = f.servicePassword;
  return c;
}

/** The first line of a new subscription's status history. */
export function createdStatusChange(subscriptionId: number, status: SubscriptionStatus, actor: Actor, stamp: string) {
  return { subscription_id: subscriptionId, from_status: null, to_status: status, changed_at: stamp, changed_by_staff_id: actor.staffId, changed_by_name: actor.name, reason: 'Subscription created' };
}

export async function createSubscription(db: Db, input: Fields & { status: SubscriptionStatus }, actor: Actor, now: Date): Promise<Subscription> {
  await checkReferences(db, input);
  const stamp = now.toISOString();
  const uniqueId = formatUniqueId(await nextSequenceValue(db, 'subscription_unique_id'));
  const { id } = await db
    .insertInto('subscriptions')
    .values({
      unique_id: uniqueId,
      contact_id: input.contactId,
      engineer_id: input.engineerId,
      name: input.name,
      status: input.status,
      ...subscriptionColumns(input),
      ...(await sortKeysFor(db, input.contactId, input.engineerId)),
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('subscription_status_changes').values(createdStatusChange(id, input.status, actor, stamp)).execute();
  await reindexSubscriptions(db, [id]);
  return getSubscription(db, id);
}

export async function updateSubscription(db: Db, id: number, patch: Partial<Fields>, now: Date): Promise<Subscription> {
  await getSubscription(db, id);
  await checkReferences(db, patch);
  const current = await db.selectFrom('subscriptions').select(['contact_id', 'engineer_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const keys = await sortKeysFor(db, patch.contactId ?? current.contact_id, patch.engineerId ?? current.engineer_id);
  await db.updateTable('subscriptions').set({ ...subscriptionColumns(patch), ...keys, updated_at: now.toISOString() }).where('id', '=', id).execute();
  await reindexSubscriptions(db, [id]);
  return getSubscription(db, id);
}

export async function setSubscriptionStatus(
  db: Db,
  input: { id: number; status: SubscriptionStatus; reason: string | null; reopen: boolean },
  actor: Actor,
  now: Date,
): Promise<Subscription> {
  const current = await getSubscription(db, input.id);
  const verdict = checkTransition({ from: current.status, to: input.status, reason: input.reason, reopen: input.reopen });
  if (!verdict.allowed) throw fieldError(verdict.field, verdict.message);
  const stamp = now.toISOString();
  await db.updateTable('subscriptions').set({ status: input.status, updated_at: stamp }).where('id', '=', input.id).execute();
  await db
    .insertInto('subscription_status_changes')
    .values({ subscription_id: input.id, from_status: current.status, to_status: input.status, changed_at: stamp, changed_by_staff_id: actor.staffId, changed_by_name: actor.name, reason: input.reason })
    .execute();
  await onSubscriptionStatusChange(db, input.id, current.status, input.status, now);
  // Billing while suspended, set to pause: the suspension that ends gives back its days (billing/suspensions.ts).
  if (current.status === 'Suspended' && input.status !== 'Suspended') await settleSuspensionEnds(db, [input.id], actor, now);
  return getSubscription(db, input.id);
}

export async function subscriptionHistory(db: Db, id: number): Promise<z.output<typeof statusChange>[]> {
  await getSubscription(db, id);
  const rows = await db
    .selectFrom('subscription_status_changes')
    .selectAll()
    .where('subscription_id', '=', id)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    from: r.from_status as SubscriptionStatus | null,
    to: r.to_status as SubscriptionStatus,
    at: r.changed_at,
    by: r.changed_by_name,
    reason: r.reason,
  }));
}

export async function deleteSubscription(db: Db, id: number): Promise<void> {
  await getSubscription(db, id);
  await db.deleteFrom('subscriptions').where('id', '=', id).execute();
  await removeFromSearch(db, id);
}

/**
 * Many status changes in one go (the dunning run over thousands of subscriptions): the same
 * transition rule, history rows and effects on services as setSubscriptionStatus, with each
 * statement prepared once for the whole batch. `from` is the status the caller read in this
 * transaction; a change the rule refuses stops the batch with the rule's message.
 */
export async function setSubscriptionStatuses(
  db: Db,
  changes: readonly { id: number; from: SubscriptionStatus; status: SubscriptionStatus; reason: string | null }[],
  actor: Actor,
  now: Date,
): Promise<void> {
  for (const c of changes) {
    const verdict = checkTransition({ from: c.from, to: c.status, reason: c.reason, reopen: false });
    if (!verdict.allowed) throw fieldError(verdict.field, verdict.message);
  }
  const stamp = now.toISOString();
  const byStatus = new Map<SubscriptionStatus, number[]>();
  for (const c of changes) {
    const ids = byStatus.get(c.status);
    if (ids) ids.push(c.id);
    else byStatus.set(c.status, [c.id]);
  }
  for (const [status, ids] of byStatus) await setOnJsonIds(db, 'subscriptions', { status, updated_at: stamp }, ids);
  await insertValues(
    db,
    db,
    'subscription_status_changes',
    ['subscription_id', 'from_status', 'to_status', 'changed_at', 'changed_by_staff_id', 'changed_by_name', 'reason'],
    changes.map((c) => [c.id, c.from, c.status, stamp, actor.staffId, actor.name, c.reason]),
  );
  await onSubscriptionStatusChanges(db, changes.map((c) => ({ id: c.id, from: c.from, to: c.status })), now);
  // Billing while suspended, set to pause: suspensions that end give back their days (billing/suspensions.ts).
  const leaving = changes.filter((c) => c.from === 'Suspended' && c.status !== 'Suspended').map((c) => c.id);
  if (leaving.length > 0) await settleSuspensionEnds(db, leaving, actor, now);
}
