import { sql } from 'kysely';
import { ApiError } from '../../../shared/api/errors';
import { INITIAL_STATUSES, type SubscriptionStatus } from '../../../shared/domain/subscription-status';
import { normalizeMac } from '../../../shared/domain/mac';
import type { IsoDate } from '../../../shared/domain/types';
import type { CallContext } from '../api/context';
import type { Db } from '../db/open';
import { reindexSubscriptions } from '../db/search';
import { recordPayment } from '../billing/payments';
import { createDevice, deviceColumns, updateDevice } from '../services/devices';
import { insertService, saveService, servicePatchChanges } from '../services/services';
import { contactColumns, createContact, updateContact } from '../subscribers/contacts';
import { createOrganization } from '../subscribers/organizations';
import { createSubscription, setSubscriptionStatus, subscriptionColumns, updateSubscription } from '../subscribers/subscriptions';
import { normalizeName } from './cells';
import type { ImportKind } from './fields';
import { type RowProblem, type RowValues, RowErrors, namePhoneKey, parseAs } from './imports';

/**
 * One row of each import kind, written through the back end's own procedures. A row either
 * finds its record (by the key column) and updates what the file gives, or creates it; blank
 * cells never clear what is stored. A found record the row would not change is not written at all
 * (no new timestamps, search entries or router work) and is counted as unchanged: re-importing a
 * file, or the export of the same list, says "already there" instead of updating every row.
 */

export interface Refs {
  staff: Map<string, { id: number; name: string; active: number }>;
  plans: Map<string, { id: number; name: string; active: number; kind: string; pay_period_months: number }>;
  routers: Map<string, { id: number; name: string }>;
  organizations: Map<string, number>;
  contactsByEmail: Map<string, number>;
  contactsByNamePhone: Map<string, number>;
  stage<K, V>(map: Map<K, V>, key: K, value: V): void;
  commit(): void;
  discard(): void;
}

export interface RowOptions {
  keyField: string | null;
  refs: Refs;
  ctx: Omit<CallContext, 'db'>;
  row: number;
}

export type Outcome = 'create' | 'update' | 'unchanged';

export function processRow(kind: ImportKind, db: Db, v: RowValues, o: RowOptions): Promise<Outcome> {
  switch (kind) {
    case 'subscriptions':
      return subscriptionRow(db, v, o);
    case 'services':
      return serviceRow(db, v, o);
    case 'devices':
      return deviceRow(db, v, o);
    case 'payments':
      return paymentRow(db, v, o);
  }
}

export const text = (v: RowValues, k: string): string | undefined => {
  const x = v.get(k);
  return x === undefined || x === null ? undefined : String(x);
};
export const num = (v: RowValues, k: string): number | undefined => {
  const x = v.get(k);
  return typeof x === 'number' ? x : undefined;
};
/** Only the given keys: what the file leaves blank is left out, so an update keeps it. */
export function given<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function lookup<T>(map: Map<string, T>, name: string | undefined, field: string, what: string, problems: RowProblem[]): T | undefined {
  if (name === undefined) return undefined;
  const found = map.get(normalizeName(name));
  if (!found) problems.push({ field, message: `No ${what} named "${name}"` });
  return found;
}

export function staffOf(refs: Refs, name: string | undefined, problems: RowProblem[]): number | undefined {
  const s = lookup(refs.staff, name, 'engineer', 'staff member', problems);
  if (s && !s.active) {
    problems.push({ field: 'engineer', message: `${s.name} is no longer active; choose an active engineer` });
    return undefined;
  }
  return s?.id;
}

export function planOf(refs: Refs, name: string | undefined, problems: RowProblem[]) {
  return lookup(refs.plans, name, 'plan', 'plan', problems);
}

async function subscriptionByUniqueId(db: Db, uniqueId: string | undefined): Promise<{ id: number; status: SubscriptionStatus; contact_id: number } | undefined> {
  if (uniqueId === undefined) return undefined;
  const row = await db.selectFrom('subscriptions').select(['id', 'status', 'contact_id']).where('unique_id', '=', uniqueId).executeTakeFirst();
  return row ? { ...row, status: row.status as SubscriptionStatus } : undefined;
}

/** Whether writing `columns` would change the stored row `id` of `table` (values as SQLite holds them). */
async function differs(db: Db, table: 'subscriptions' | 'contacts' | 'devices', id: number, columns: Record<string, unknown>): Promise<boolean> {
  const keys = Object.keys(columns);
  if (keys.length === 0) return false;
  const { rows: [stored] } = await sql<Record<string, unknown>>`select ${sql.join(keys.map((k) => sql.ref(k)))} from ${sql.table(table)} where id = ${id}`.execute(db);
  return !stored || keys.some((k) => stored[k] !== columns[k]);
}

async function requireSubscription(db: Db, v: RowValues) {
  const uniqueId = text(v, 'uniqueId');
  if (uniqueId === undefined) throw new RowErrors([{ field: 'uniqueId', message: 'Required: the subscription\'s unique ID' }]);
  const sub = await subscriptionByUniqueId(db, uniqueId);
  if (!sub) throw new RowErrors([{ field: 'uniqueId', message: `No subscription ${uniqueId}` }]);
  return sub;
}

// --- Subscriptions (with their contact, organization and one service per row) -------------------

function splitName(full: string): { firstName: string; lastName: string } | null {
  const parts = full.trim().split(/\s+/);
  if (parts.length < 2) return null;
  // "Smith, John" is last name first.
  if (parts[0]!.endsWith(',')) return { lastName: parts[0]!.slice(0, -1), firstName: parts.slice(1).join(' ') };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

async function findExistingSubscription(db: Db, v: RowValues, o: RowOptions) {
  const key = o.keyField ?? 'uniqueId';
  if (key === 'uniqueId') return subscriptionByUniqueId(db, text(v, 'uniqueId'));
  let q = db.selectFrom('subscriptions').select(['id', 'status', 'contact_id', 'unique_id']);
  if (key === 'name') {
    const name = text(v, 'name');
    if (name === undefined) return undefined;
    q = q.where('name', '=', name);
  } else {
    const email = text(v, 'email')?.toLowerCase();
    const contactId = email === undefined ? undefined : o.refs.contactsByEmail.get(email);
    if (contactId === undefined) return undefined;
    q = q.where('contact_id', '=', contactId);
  }
  const rows = await q.limit(2).execute();
  if (rows.length > 1) throw new RowErrors([{ field: key, message: `More than one subscription matches; use the Unique ID column as key` }]);
  return rows[0] ? { ...rows[0], status: rows[0].status as SubscriptionStatus } : undefined;
}

async function organizationFor(db: Db, v: RowValues, o: RowOptions): Promise<number | undefined> {
  const name = text(v, 'organization');
  if (name === undefined) return undefined;
  const key = normalizeName(name);
  const known = o.refs.organizations.get(key);
  if (known !== undefined) return known;
  const input = parseAs('organizations.create', { name });
  const org = await createOrganization(db, input, o.ctx.now());
  o.refs.stage(o.refs.organizations, key, org.id);
  return org.id;
}

export function contactNames(v: RowValues): { firstName?: string; lastName?: string } {
  const first = text(v, 'firstName');
  const last = text(v, 'lastName');
  const full = text(v, 'fullName');
  if ((first === undefined || last === undefined) && full !== undefined) {
    const split = splitName(full);
    if (!split) throw new RowErrors([{ field: 'fullName', message: `"${full}": write the contact's first and last name` }]);
    return { firstName: first ?? split.firstName, lastName: last ?? split.lastName };
  }
  return given({ firstName: first, lastName: last });
}

export const addressOf = (v: RowValues) => given({ street: text(v, 'street'), city: text(v, 'city'), region: text(v, 'region'), postalCode: text(v, 'postalCode'), country: text(v, 'country') });

async function contactFor(db: Db, v: RowValues, o: RowOptions, organizationId: number | undefined): Promise<number> {
  const email = text(v, 'email');
  const phone = text(v, 'phone');
  const names = contactNames(v);
  if (email !== undefined) {
    const id = o.refs.contactsByEmail.get(email.toLowerCase());
    if (id !== undefined) return id;
  }
  if (phone !== undefined && names.firstName && names.lastName) {
    const id = o.refs.contactsByNamePhone.get(namePhoneKey(`${names.firstName} ${names.lastName}`, phone));
    if (id !== undefined) return id;
  }
  if (!names.firstName || !names.lastName) {
    throw new RowErrors([{ field: names.firstName ? 'lastName' : 'fullName', message: 'Required: the contact\'s name (a Contact column, or First and Last name)' }]);
  }
  const input = parseAs('contacts.create', { ...names, emails: email ? [email] : [], phones: phone ? [phone] : [], organizationId: organizationId ?? null, ...addressOf(v) });
  const contact = await createContact(db, input, o.ctx.now());
  if (email) o.refs.stage(o.refs.contactsByEmail, email.toLowerCase(), contact.id);
  if (phone) o.refs.stage(o.refs.contactsByNamePhone, namePhoneKey(`${names.firstName} ${names.lastName}`, phone), contact.id);
  return contact.id;
}

/** Updates the contact with what the row gives; whether that changed it. */
async function updateContactOf(db: Db, contactId: number, v: RowValues, o: RowOptions): Promise<boolean> {
  const email = text(v, 'email');
  const phone = text(v, 'phone');
  const names = contactNames(v);
  const current = await db.selectFrom('contacts').select(['emails', 'phones']).where('id', '=', contactId).executeTakeFirstOrThrow();
  const emails = JSON.parse(current.emails) as string[];
  const phones = JSON.parse(current.phones) as string[];
  const patch = given({
    ...names,
    ...addressOf(v),
    emails: email && !emails.includes(email.toLowerCase()) ? [email, ...emails].slice(0, 5) : undefined,
    phones: phone && !phones.includes(phone) ? [phone, ...phones].slice(0, 5) : undefined,
  });
  if (Object.keys(patch).length === 0) return false;
  const { id: _id, ...parsed } = parseAs('contacts.update', { id: contactId, ...patch });
  if (!(await differs(db, 'contacts', contactId, contactColumns(parsed)))) return false;
  await updateContact(db, contactId, parsed, o.ctx.now());
  if (email) o.refs.stage(o.refs.contactsByEmail, email.toLowerCase(), contactId);
  return true;
}

/** Keeps the file's unique ID on a new subscription, and moves the counter past it so it is never handed out again. */
async function keepUniqueId(db: Db, id: number, uniqueId: string) {
  await db.updateTable('subscriptions').set({ unique_id: uniqueId }).where('id', '=', id).execute();
  const m = /^S-(\d{1,12})$/.exec(uniqueId);
  if (m) {
    const next = Number(m[1]) + 1;
    await db.updateTable('sequences').set((eb) => ({ next_value: sql<number>`max(${eb.ref('next_value')}, ${next})` })).where('name', '=', 'subscription_unique_id').execute();
  }
  await reindexSubscriptions(db, [id]);
}

/** created_at is write-once for the app's own code; an import carries the customer's real start. */
export const importedCreatedAt = (date: string) => `${date}T00:00:00.000Z`;

/** Sets the start the row gives, unless the stored one falls on that day (exports show the day); whether it did. */
async function setCreated(db: Db, id: number, date: string | undefined): Promise<boolean> {
  if (date === undefined) return false;
  const stored = await db.selectFrom('subscriptions').select('created_at').where('id', '=', id).executeTakeFirst();
  if (stored?.created_at.slice(0, 10) === date) return false;
  await sql`update subscriptions set created_at = ${importedCreatedAt(date)} where id = ${id}`.execute(db);
  return true;
}

async function moveStatus(db: Db, id: number, from: SubscriptionStatus, to: SubscriptionStatus | undefined, o: RowOptions): Promise<boolean> {
  if (to === undefined || to === from) return false;
  try {
    await setSubscriptionStatus(db, { id, status: to, reason: `Imported (row ${o.row})`, reopen: true }, o.ctx.actor, o.ctx.now());
    return true;
  } catch (error) {
    if (error instanceof ApiError) throw new RowErrors([{ field: 'status', message: error.message }]);
    throw error;
  }
}

export const SERVICE_KEYS = ['plan', 'login', 'password', 'ipv4Address', 'macAddresses', 'router', 'startDate', 'endDate', 'price', 'serviceStatus'];

export function serviceColumns(v: RowValues, refs: Refs, problems: RowProblem[]) {
  const router = lookup(refs.routers, text(v, 'router'), 'router', 'router', problems);
  const ip = text(v, 'ipv4Address');
  return given({
    login: text(v, 'login'),
    password: text(v, 'password'),
    ipv4Assignment: ip !== undefined ? ('permanent' as const) : undefined,
    ipv4Address: ip,
    macAddresses: text(v, 'macAddresses'),
    routerId: router?.id,
    startDate: text(v, 'startDate'),
    // An end date column present but blank (or 9999-12-31) means no end: only a date sets one.
    endDate: text(v, 'endDate'),
    priceCents: num(v, 'price'),
    status: text(v, 'serviceStatus'),
  });
}

/** Creates or updates the row's service on a subscription: matched by login, else by plan. */
async function upsertService(db: Db, subscriptionId: number, v: RowValues, o: RowOptions, description?: string): Promise<Outcome | null> {
  if (!SERVICE_KEYS.some((k) => v.has(k))) return null;
  const problems: RowProblem[] = [];
  const plan = planOf(o.refs, text(v, 'plan'), problems);
  const columns = serviceColumns(v, o.refs, problems);
  if (problems.length) throw new RowErrors(problems);
  const login = text(v, 'login');
  // The subscription's few services, picked here: asked for by plan too, SQLite may walk the plan's
  // index (every service of a popular plan) instead of the subscription's, once per row.
  const own = await db.selectFrom('services').select(['id', 'login', 'plan_id']).where('subscription_id', '=', subscriptionId).where('status', '<>', 'Archived').orderBy('id').execute();
  const existing = (login !== undefined ? own.find((s) => s.login === login) : undefined) ?? (plan ? own.find((s) => s.plan_id === plan.id) : undefined);
  if (existing) {
    const { id, ...patch } = parseAs('services.update', { id: existing.id, ...columns, ...given({ planId: plan?.id, description }) });
    if (!(await servicePatchChanges(db, id, patch))) return 'unchanged';
    await saveService(db, id, patch, o.ctx.now());
    return 'update';
  }
  if (!plan) throw new RowErrors([{ field: 'plan', message: 'Required: the plan of the service' }]);
  if (!plan.active) throw new RowErrors([{ field: 'plan', message: `${plan.name} is retired and no longer offered` }]);
  const input = parseAs('services.create', { subscriptionId, planId: plan.id, ...columns, ...given({ description }) });
  await insertService(db, input, o.ctx.now());
  return 'create';
}

/** The subscription's own fields a row gives. */
export function subscriptionFieldsOf(v: RowValues, engineerId: number | undefined) {
  return given({
    name: text(v, 'name'),
    engineerId,
    billDay: num(v, 'billDay'),
    notificationLevel: text(v, 'notificationLevel'),
    description: text(v, 'description'),
    servicePassword: text(v, 'servicePassword'),
  });
}

/** A new subscription's name when the file gives none: its contact's. */
export function defaultSubscriptionName(names: { firstName?: string; lastName?: string }): string {
  return `${names.firstName ?? ''} ${names.lastName ?? ''}`.trim();
}

async function subscriptionRow(db: Db, v: RowValues, o: RowOptions): Promise<Outcome> {
  const problems: RowProblem[] = [];
  const engineerId = staffOf(o.refs, text(v, 'engineer'), problems);
  if (text(v, 'plan') !== undefined) planOf(o.refs, text(v, 'plan'), problems);
  if (problems.length) throw new RowErrors(problems);
  const status = text(v, 'status') as SubscriptionStatus | undefined;
  const fields = subscriptionFieldsOf(v, engineerId);
  const existing = await findExistingSubscription(db, v, o);
  if (existing) {
    const organizationId = await organizationFor(db, v, o);
    const { id, ...patch } = parseAs('subscriptions.update', { id: existing.id, ...fields, ...given({ organizationId }) });
    let changed = false;
    if (await differs(db, 'subscriptions', id, subscriptionColumns(patch))) {
      await updateSubscription(db, id, patch, o.ctx.now());
      changed = true;
    }
    if (await updateContactOf(db, existing.contact_id, v, o)) changed = true;
    const service = await upsertService(db, id, v, o);
    if (service !== null && service !== 'unchanged') changed = true;
    if (await moveStatus(db, id, existing.status, status, o)) changed = true;
    if (await setCreated(db, id, text(v, 'createdAt'))) changed = true;
    return changed ? 'update' : 'unchanged';
  }
  if (engineerId === undefined) throw new RowErrors([{ field: 'engineer', message: 'Required: the responsible engineer' }]);
  const organizationId = await organizationFor(db, v, o);
  const contactId = await contactFor(db, v, o, organizationId);
  const names = contactNames(v);
  const initial = status && INITIAL_STATUSES.includes(status) ? status : 'Active';
  const input = parseAs('subscriptions.create', {
    ...fields,
    name: fields.name ?? defaultSubscriptionName(names),
    contactId,
    organizationId: organizationId ?? null,
    status: initial,
  });
  const sub = await createSubscription(db, input, o.ctx.actor, o.ctx.now());
  const uniqueId = text(v, 'uniqueId');
  if (uniqueId !== undefined) await keepUniqueId(db, sub.id, uniqueId);
  await upsertService(db, sub.id, v, o);
  await moveStatus(db, sub.id, initial, status, o);
  await setCreated(db, sub.id, text(v, 'createdAt'));
  return 'create';
}

// --- Services, devices, payments of existing subscriptions ---------------------------------------

async function serviceRow(db: Db, v: RowValues, o: RowOptions): Promise<Outcome> {
  const sub = await requireSubscription(db, v);
  return (await upsertService(db, sub.id, v, o, text(v, 'description')))!;
}

async function deviceRow(db: Db, v: RowValues, o: RowOptions): Promise<Outcome> {
  const sub = await requireSubscription(db, v);
  let serviceId: number | undefined;
  const login = text(v, 'serviceLogin');
  if (login !== undefined) {
    const s = await db.selectFrom('services').select('id').where('subscription_id', '=', sub.id).where('login', '=', login).executeTakeFirst();
    if (!s) throw new RowErrors([{ field: 'serviceLogin', message: `No service with login "${login}" on this subscription` }]);
    serviceId = s.id;
  }
  const fields = given({
    serviceId,
    type: text(v, 'type'),
    vendor: text(v, 'vendor'),
    model: text(v, 'model'),
    serial: text(v, 'serial'),
    macAddress: text(v, 'macAddress'),
    managementIp: text(v, 'managementIp'),
    firmware: text(v, 'firmware'),
    installDate: text(v, 'installDate'),
    location: text(v, 'location'),
    status: text(v, 'status'),
    notes: text(v, 'notes'),
  });
  const key = o.keyField ?? 'serial';
  let existing: { id: number; subscription_id: number } | undefined;
  if (key === 'serial' && fields.serial !== undefined) {
    existing = await db.selectFrom('devices').select(['id', 'subscription_id']).where('serial', '=', fields.serial).executeTakeFirst();
  } else if (key === 'macAddress' && fields.macAddress !== undefined) {
    existing = await db.selectFrom('devices').select(['id', 'subscription_id']).where('mac_address', '=', normalizeMac(fields.macAddress) ?? fields.macAddress).executeTakeFirst();
  }
  if (existing) {
    if (existing.subscription_id !== sub.id) throw new RowErrors([{ field: key, message: `This device belongs to another subscription; move it there by hand` }]);
    const { id, ...patch } = parseAs('devices.update', { id: existing.id, ...fields });
    if (!(await differs(db, 'devices', id, deviceColumns(patch)))) return 'unchanged';
    await updateDevice(db, id, patch, o.ctx.now());
    return 'update';
  }
  const input = parseAs('devices.create', { subscriptionId: sub.id, ...fields });
  await createDevice(db, input, o.ctx.now());
  return 'create';
}

async function paymentRow(db: Db, v: RowValues, o: RowOptions): Promise<Outcome> {
  const sub = await requireSubscription(db, v);
  const input = parseAs('payments.record', {
    subscriptionId: sub.id,
    method: text(v, 'method'),
    receivedDate: text(v, 'receivedDate'),
    amountCents: num(v, 'amount'),
    reference: text(v, 'reference') ?? null,
    notes: text(v, 'notes') ?? null,
  });
  // Payments are never edited: one already recorded (same reference, or same day, amount and method) is left alone.
  let q = db.selectFrom('payments').select('id').where('subscription_id', '=', sub.id);
  q = input.reference ? q.where('reference', '=', input.reference) : q.where('received_date', '=', input.receivedDate).where('amount_cents', '=', input.amountCents).where('method', '=', input.method);
  if (await q.executeTakeFirst()) return 'unchanged';
  await recordPayment(db, { ...input, receivedDate: input.receivedDate as IsoDate, allocations: undefined }, o.ctx.actor, o.ctx.now());
  return 'create';
}

