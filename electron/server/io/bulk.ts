import { ApiError } from '../../../shared/api/errors';
import { parseIpv4 } from '../../../shared/domain/ipv4';
import { INITIAL_STATUSES, type SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { CallContext } from '../api/context';
import { insertJsonArrays, insertJsonArraysForIds } from '../db/json-rows';
import { loginHolder } from '../db/logins';
import type { Db } from '../db/open';
import { type SearchDocument, reindexSubscriptionDocuments } from '../db/search';
import { type NetworkRule, checkPermanentAddress, permanentNetworkOf } from '../network/allocations';
import { checkServiceWithPlan, serviceColumnsOf, startingStatus } from '../services/services';
import { contactColumns } from '../subscribers/contacts';
import { organizationColumns } from '../subscribers/organizations';
import { contactSortName, engineerSortName, subscriptionNameSortKey } from '../subscribers/sort-keys';
import { createdStatusChange, subscriptionColumns } from '../subscribers/subscriptions';
import { formatUniqueId } from '../subscribers/unique-id';
import { normalizeName } from './cells';
import { type RowValues, RowErrors, namePhoneKey, parseAs } from './imports';
import {
  type Refs,
  SERVICE_KEYS,
  addressOf,
  contactNames,
  defaultSubscriptionName,
  importedCreatedAt,
  planOf,
  serviceColumns,
  staffOf,
  subscriptionFieldsOf,
  text,
} from './rows';
import type { RowProblem } from './imports';

/**
 * The bulk path of a subscription import: rows that open NEW subscriptions are checked in memory
 * with the forms' own rules (zod contract, service rules, address rule, look-ups resolved once
 * into maps) and written in batches of a few statements each (json_each inserts), inside the
 * import's one transaction. Rows that touch stored subscriptions still go one by one through the
 * procedures (rows.ts); the pending batch is written before such a row so it sees everything above it.
 *
 * The in-memory sets of taken logins, addresses and unique IDs only pre-filter: on a hit the
 * batch is written and the datastore's own check decides and words the error.
 *
 * A dry run (`writes: false`) writes nothing it would roll back: a full batch is checked and
 * dropped, and on a pre-filter hit the datastore is asked first (a stored holder words the error as
 * after a write). Only when a later row needs the dropped rows in the datastore (a row through the
 * procedures, a hit the datastore does not explain) does it give up with {@link NeedsWrites}, and the
 * dry run starts over writing as it goes, so its report is always the one the writes would give.
 *
 * A dry run of an ordinary file (up to {@link KEEP_ROWS} rows) keeps its checked rows instead of
 * dropping them: when the apply that follows finds the same file and a datastore unchanged since,
 * it writes them as they are (see imports.ts) rather than reading and checking the file again.
 */

/** A dry run that dropped rows met a row that needs them written: run it again, writing. */
export class NeedsWrites extends Error {
  constructor() {
    super('the dry run needs the rows above written');
  }
}

/** Rows held before they are written: bounds memory on a 100,000-row file. */
const BATCH_ROWS = 1000;

/**
 * Rows a dry run keeps for the apply that follows: an ordinary file (about 1.5 KB a row held). A
 * longer one is dropped in batches as before, so a 100,000-row dry run stays as lean as it was.
 */
export const KEEP_ROWS = 10_000;

/**
 * Stands in for the id of a contact or organization created in the same batch while the row is
 * validated (the schema wants a positive id); the real id replaces it when the batch is written.
 */
const PENDING_ID = 1;

type Values = Record<string, string | number | null>;

interface Ref {
  id: number | null;
}
interface PendingOrganization extends Ref {
  key: string;
  values: Values;
}
interface PendingContact extends Ref {
  emailKey: string | null;
  namePhoneKey: string | null;
  firstName: string;
  lastName: string;
  organization: Ref | null;
  values: Values;
}
interface PendingSubscription {
  row: number;
  uniqueId: string | null;
  status: SubscriptionStatus;
  contact: Ref;
  organization: Ref | null;
  engineerId: number;
  values: Values;
  /** The customer's real start, when the file gives it. */
  createdAt: string | null;
  service: { values: Values; address: { text: string; value: number; networkId: number } | null } | null;
}

const lower = (s: string) => s.toLowerCase();

/** A subscription's contact, as its sort keys and search document need it. */
interface Person {
  firstName: string;
  lastName: string;
  sortName: string;
  phones: string[];
  emails: string[];
}
const personOf = (firstName: string, lastName: string, phones: unknown, emails: unknown): Person => ({
  firstName,
  lastName,
  sortName: contactSortName(firstName, lastName),
  // Stored as JSON text; a new contact's columns may leave them out (the column default, none).
  phones: typeof phones === 'string' ? (JSON.parse(phones) as string[]) : [],
  emails: typeof emails === 'string' ? (JSON.parse(emails) as string[]) : [],
});
const known = (id: number): Ref => ({ id });

type Cell = string | number | null;

/**
 * Inserts items and hands each its id. A row's columns are its own `values` (whose set of keys may
 * differ from row to row: a key left out takes the column's default) followed by `extraColumns`,
 * filled in by `extra`; one statement per set of keys (json_each inserts take one set each).
 * The value arrays are built directly, with no object per row: this runs for every imported row.
 *
 * Rows are inserted in order, and take their ids in that order (insertJsonArraysForIds).
 */
async function insertAll<T>(
  db: Db,
  table: string,
  items: readonly T[],
  values: (item: T) => Values,
  extraColumns: readonly string[],
  extra: (item: T) => Cell[],
  setId: (item: T, id: number) => void,
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const sig = Object.keys(values(item)).join(',');
    const g = groups.get(sig);
    if (g) g.push(item);
    else groups.set(sig, [item]);
  }
  const extras = new Set(extraColumns);
  for (const [sig, group] of groups) {
    // A key the extra columns also set is theirs (they come last, as in a spread).
    const own = sig === '' ? [] : sig.split(',').filter((c) => !extras.has(c));
    const rows: Cell[][] = new Array(group.length);
    for (let i = 0; i < group.length; i++) {
      const item = group[i]!;
      const v = values(item);
      const row = extra(item);
      const cells: Cell[] = new Array(own.length + row.length);
      for (let j = 0; j < own.length; j++) cells[j] = v[own[j]!] ?? null;
      for (let j = 0; j < row.length; j++) cells[own.length + j] = row[j]!;
      rows[i] = cells;
    }
    const ids = await insertJsonArraysForIds(db, table, [...own, ...extraColumns], rows);
    for (let i = 0; i < group.length; i++) setId(group[i]!, ids[i]!);
  }
}

export class BulkSubscriptions {
  private organizations: PendingOrganization[] = [];
  private organizationByKey = new Map<string, PendingOrganization>();
  private contacts: PendingContact[] = [];
  private contactByEmail = new Map<string, PendingContact>();
  private contactByNamePhone = new Map<string, PendingContact>();
  private subscriptions: PendingSubscription[] = [];
  private readonly staffNames: Map<number, string>;
  /** Rows checked but never written (a dry run's dropped batches). */
  private dropped = false;
  /** Rows written (an apply's batches, or a dry run that had to write to check a later row). */
  private flushed = false;

  private constructor(
    private readonly refs: Refs,
    private ctx: Omit<CallContext, 'db'>,
    private readonly uniqueIds: Set<string>,
    private readonly takenLogins: Set<string>,
    private readonly takenAddresses: Set<string>,
    private readonly networks: (NetworkRule & { first_int: number; last_int: number })[],
    private readonly exclusions: Map<number, { first: number; last: number }[]>,
    private readonly writes: boolean,
  ) {
    this.staffNames = new Map([...refs.staff.values()].map((s) => [s.id, s.name]));
  }

  static async load(db: Db, refs: Refs, ctx: Omit<CallContext, 'db'>, options: { writes: boolean }): Promise<BulkSubscriptions> {
    const [subs, logins, hotspot, addresses, networks, exclusions] = await Promise.all([
      db.selectFrom('subscriptions').select('unique_id').execute(),
      db.selectFrom('services').select('login').where('login', 'is not', null).where('status', '<>', 'Archived').execute(),
      db.selectFrom('hotspot_users').select('login').execute(),
      db.selectFrom('ip_allocations').select('address').execute(),
      db.selectFrom('ip_networks').select(['id', 'cidr', 'kind', 'gateway', 'first_int', 'last_int']).execute(),
      db.selectFrom('ip_network_exclusions').select(['network_id', 'first_int as first', 'last_int as last']).orderBy('first_int').execute(),
    ]);
    const excluded = new Map<number, { first: number; last: number }[]>();
    for (const e of exclusions) {
      const list = excluded.get(e.network_id) ?? [];
      list.push({ first: e.first, last: e.last });
      excluded.set(e.network_id, list);
    }
    return new BulkSubscriptions(
      refs,
      ctx,
      new Set(subs.map((s) => s.unique_id)),
      new Set([...logins, ...hotspot].map((l) => lower(l.login!))),
      new Set(addresses.map((a) => a.address)),
      networks,
      excluded,
      options.writes,
    );
  }

  /** Whether a row opens a new subscription this path can write (else it goes through the procedures). */
  takes(v: RowValues, keyField: string | null): boolean {
    if (keyField !== null && keyField !== 'uniqueId') return false;
    const status = text(v, 'status');
    // Any other status is a transition after opening, with its effects: the procedures do that.
    if (status !== undefined && !INITIAL_STATUSES.includes(status as SubscriptionStatus)) return false;
    const uniqueId = text(v, 'uniqueId');
    return uniqueId === undefined || !this.uniqueIds.has(uniqueId);
  }

  /** What a row written through the procedures now holds, so later rows see it taken. */
  noteWritten(v: RowValues): void {
    const uniqueId = text(v, 'uniqueId');
    if (uniqueId !== undefined) this.uniqueIds.add(uniqueId);
    const login = text(v, 'login');
    if (login !== undefined) this.takenLogins.add(lower(login));
    const address = text(v, 'ipv4Address');
    if (address !== undefined) this.takenAddresses.add(address);
  }

  /** Checks a new subscription's row with the forms' rules and holds it for the batch; throws the row's problems. */
  async create(db: Db, v: RowValues, row: number): Promise<void> {
    const refs = this.refs;
    const problems: RowProblem[] = [];
    const engineerId = staffOf(refs, text(v, 'engineer'), problems);
    if (text(v, 'plan') !== undefined) planOf(refs, text(v, 'plan'), problems);
    if (problems.length) throw new RowErrors(problems);
    if (engineerId === undefined) throw new RowErrors([{ field: 'engineer', message: 'Required: the responsible engineer' }]);
    const status = (text(v, 'status') ?? 'Active') as SubscriptionStatus;
    const fields = subscriptionFieldsOf(v, engineerId);

    // Organization: known, pending in this batch, or new.
    let organization: Ref | null = null;
    let newOrganization: PendingOrganization | null = null;
    const orgName = text(v, 'organization');
    if (orgName !== undefined) {
      const key = normalizeName(orgName);
      const id = refs.organizations.get(key);
      organization = id !== undefined ? known(id) : (this.organizationByKey.get(key) ?? null);
      if (!organization) {
        const input = parseAs('organizations.create', { name: orgName });
        newOrganization = { id: null, key, values: { name: input.name, kind: input.kind, ...organizationColumns(input) } };
        organization = newOrganization;
      }
    }

    // Contact: matched by e-mail, or by name and phone, else new (as contactFor in rows.ts).
    const email = text(v, 'email');
    const phone = text(v, 'phone');
    const names = contactNames(v);
    const emailKey = email !== undefined ? lower(email) : null;
    const npKey = phone !== undefined && names.firstName && names.lastName ? namePhoneKey(`${names.firstName} ${names.lastName}`, phone) : null;
    let contact: Ref | null = null;
    if (emailKey !== null) {
      const id = refs.contactsByEmail.get(emailKey);
      contact = id !== undefined ? known(id) : (this.contactByEmail.get(emailKey) ?? null);
    }
    if (!contact && npKey !== null) {
      const id = refs.contactsByNamePhone.get(npKey);
      contact = id !== undefined ? known(id) : (this.contactByNamePhone.get(npKey) ?? null);
    }
    let newContact: PendingContact | null = null;
    if (!contact) {
      if (!names.firstName || !names.lastName) {
        throw new RowErrors([{ field: names.firstName ? 'lastName' : 'fullName', message: "Required: the contact's name (a Contact column, or First and Last name)" }]);
      }
      // Fresh objects filled in by assignment rather than spread together: this runs for every row.
      const contactInput: Record<string, unknown> = addressOf(v);
      contactInput.firstName = names.firstName;
      contactInput.lastName = names.lastName;
      contactInput.emails = email ? [email] : [];
      contactInput.phones = phone ? [phone] : [];
      contactInput.organizationId = organization ? (organization.id ?? PENDING_ID) : null;
      const input = parseAs('contacts.create', contactInput);
      // Its organization_id (a stand-in while validating) is set when the batch is written.
      const values: Values = contactColumns(input);
      newContact = { id: null, emailKey, namePhoneKey: npKey, firstName: input.firstName, lastName: input.lastName, organization, values };
      contact = newContact;
    }

    const subscriptionInput: Record<string, unknown> = fields;
    subscriptionInput.name = fields.name ?? defaultSubscriptionName(names);
    subscriptionInput.contactId = contact.id ?? PENDING_ID;
    subscriptionInput.organizationId = organization ? (organization.id ?? PENDING_ID) : null;
    subscriptionInput.status = status;
    const input = parseAs('subscriptions.create', subscriptionInput);
    // Its contact_id and organization_id (stand-ins while validating) are set when the batch is written.
    const subscriptionValues: Values = subscriptionColumns(input);
    const createdAt = text(v, 'createdAt');

    // The row's service (as upsertService's create in rows.ts, with the service form's rules).
    let service: PendingSubscription['service'] = null;
    if (SERVICE_KEYS.some((k) => v.has(k))) {
      const plan = planOf(refs, text(v, 'plan'), problems);
      const columns = serviceColumns(v, refs, problems);
      if (problems.length) throw new RowErrors(problems);
      if (!plan) throw new RowErrors([{ field: 'plan', message: 'Required: the plan of the service' }]);
      if (!plan.active) throw new RowErrors([{ field: 'plan', message: `${plan.name} is retired and no longer offered` }]);
      const serviceInput: Record<string, unknown> = columns;
      serviceInput.subscriptionId = PENDING_ID;
      serviceInput.planId = plan.id;
      const state = parseAs('services.create', serviceInput);
      checkServiceWithPlan(plan, state);
      const values = serviceColumnsOf(plan, state);
      const archived = values.status === 'Archived';
      let address: { text: string; value: number; networkId: number } | null = null;
      if (values.ipv4_address && !archived) {
        const value = parseIpv4(values.ipv4_address);
        if (value === null || this.takenAddresses.has(values.ipv4_address)) {
          // A dry run asks the datastore first: a stored holder (or a bad address) words the error without writing.
          if (!this.writes) await checkPermanentAddress(db, values.ipv4_address, null);
          await this.settle(db);
          await checkPermanentAddress(db, values.ipv4_address, null);
        }
        const networks = this.networks.filter((n) => n.first_int <= value! && value! <= n.last_int);
        const networkId = permanentNetworkOf(values.ipv4_address, value!, networks, (id) => this.exclusions.get(id) ?? []);
        address = { text: values.ipv4_address, value: value!, networkId };
      }
      if (values.login && !archived && this.takenLogins.has(lower(values.login))) {
        const stored = this.writes ? null : await loginHolder(db, values.login);
        if (stored) throw new ApiError('conflict', stored, { login: stored });
        await this.settle(db);
        const holder = await loginHolder(db, values.login);
        if (holder) throw new ApiError('conflict', holder, { login: holder });
      }
      const starting = startingStatus(status, values.status);
      const serviceValues: Values = values;
      serviceValues.status = starting.status;
      serviceValues.stopped_by_subscription = starting.stopped_by_subscription;
      service = { values: serviceValues, address };
    }

    // Every check passed: hold the row and what it creates.
    if (newOrganization) {
      this.organizations.push(newOrganization);
      this.organizationByKey.set(newOrganization.key, newOrganization);
    }
    if (newContact) {
      this.contacts.push(newContact);
      if (newContact.emailKey !== null) this.contactByEmail.set(newContact.emailKey, newContact);
      if (newContact.namePhoneKey !== null) this.contactByNamePhone.set(newContact.namePhoneKey, newContact);
    }
    const uniqueId = text(v, 'uniqueId') ?? null;
    if (uniqueId !== null) this.uniqueIds.add(uniqueId);
    if (service?.values.login && service.values.status !== 'Archived') this.takenLogins.add(lower(String(service.values.login)));
    if (service?.address) this.takenAddresses.add(service.address.text);
    this.subscriptions.push({
      row,
      uniqueId,
      status,
      contact,
      organization,
      engineerId,
      values: subscriptionValues,
      createdAt: createdAt === undefined ? null : importedCreatedAt(createdAt),
      service,
    });
    if (this.subscriptions.length >= BATCH_ROWS) {
      if (this.writes) await this.flush(db);
      else if (this.dropped || this.flushed || this.subscriptions.length > KEEP_ROWS) this.drop();
    }
  }

  /** Whether this dry run holds every row it checked, none written: what an apply of the same file would write. */
  holdsEveryRow(): boolean {
    return !this.writes && !this.dropped && !this.flushed;
  }

  /** The rows a dry run held, to be written by an apply: stamped and signed by the apply's call. */
  adopt(ctx: Omit<CallContext, 'db'>): void {
    this.ctx = ctx;
  }

  /** Whether the rows held so far can be written on demand (a dry run that dropped some cannot). */
  canWrite(): boolean {
    return !this.dropped;
  }

  /** Writes the held rows, so the datastore sees every row above; a dry run that dropped rows starts over. */
  async settle(db: Db): Promise<void> {
    if (this.dropped) throw new NeedsWrites();
    await this.flush(db);
  }

  /**
   * A dry run's full batch, checked: forgotten without writing. What later rows match on stays
   * known (organizations and contacts by key, as after a write; their ids are never read again,
   * since a row that would read the datastore makes the run start over).
   */
  private drop(): void {
    for (const o of this.organizations) this.refs.organizations.set(o.key, o.id ?? PENDING_ID);
    for (const c of this.contacts) {
      if (c.emailKey !== null) this.refs.contactsByEmail.set(c.emailKey, c.id ?? PENDING_ID);
      if (c.namePhoneKey !== null) this.refs.contactsByNamePhone.set(c.namePhoneKey, c.id ?? PENDING_ID);
    }
    this.organizations = [];
    this.organizationByKey = new Map();
    this.contacts = [];
    this.contactByEmail = new Map();
    this.contactByNamePhone = new Map();
    this.subscriptions = [];
    this.dropped = true;
  }

  /** Writes the held rows: organizations, contacts, subscriptions with their history, services, addresses, search. */
  async flush(db: Db): Promise<void> {
    if (this.subscriptions.length === 0 && this.organizations.length === 0 && this.contacts.length === 0) return;
    this.flushed = true;
    const stamp = this.ctx.now().toISOString();
    const actor = this.ctx.actor;
    const organizations = this.organizations;
    const contacts = this.contacts;
    const subs = this.subscriptions;
    this.organizations = [];
    this.organizationByKey = new Map();
    this.contacts = [];
    this.contactByEmail = new Map();
    this.contactByNamePhone = new Map();
    this.subscriptions = [];

    const stamped = ['created_at', 'updated_at'];
    await insertAll(db, 'organizations', organizations, (o) => o.values, stamped, () => [stamp, stamp], (o, id) => {
      o.id = id;
      this.refs.organizations.set(o.key, id);
    });
    await insertAll(db, 'contacts', contacts, (c) => c.values, ['organization_id', ...stamped], (c) => [c.organization?.id ?? null, stamp, stamp], (c, id) => {
      c.id = id;
      if (c.emailKey !== null) this.refs.contactsByEmail.set(c.emailKey, id);
      if (c.namePhoneKey !== null) this.refs.contactsByNamePhone.set(c.namePhoneKey, id);
    });

    // Sort keys and search documents need the names of contacts that were already stored.
    const people = new Map<number, Person>();
    for (const c of contacts) people.set(c.id!, personOf(c.firstName, c.lastName, c.values.phones, c.values.emails));
    const storedIds = [...new Set(subs.map((s) => s.contact.id!).filter((id) => !people.has(id)))];
    for (let i = 0; i < storedIds.length; i += 900) {
      for (const c of await db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'phones', 'emails']).where('id', 'in', storedIds.slice(i, i + 900)).execute()) {
        people.set(c.id, personOf(c.first_name, c.last_name, c.phones, c.emails));
      }
    }

    // Unique IDs as createSubscription and keepUniqueId hand them out: each subscription takes the
    // next number; one the file gives is kept and moves the counter past it.
    const counter = await db.selectFrom('sequences').select('next_value').where('name', '=', 'subscription_unique_id').executeTakeFirst();
    let next = counter?.next_value ?? 1;
    const ids: { sub: PendingSubscription; uniqueId: string }[] = [];
    for (const s of subs) {
      let uniqueId = s.uniqueId;
      if (uniqueId === null) {
        while (this.uniqueIds.has(formatUniqueId(next))) next++;
        uniqueId = formatUniqueId(next++);
        this.uniqueIds.add(uniqueId);
      } else {
        next++;
        const m = /^S-(\d{1,12})$/.exec(uniqueId);
        if (m) next = Math.max(next, Number(m[1]) + 1);
      }
      ids.push({ sub: s, uniqueId });
    }
    if (counter) await db.updateTable('sequences').set({ next_value: next }).where('name', '=', 'subscription_unique_id').execute();
    else await db.insertInto('sequences').values({ name: 'subscription_unique_id', next_value: next }).execute();

    const subscriptionIds = new Map<PendingSubscription, number>();
    const documents: SearchDocument[] = [];
    const engineerSortNames = new Map<number, string>();
    const engineerSortNameOf = (id: number) => {
      let name = engineerSortNames.get(id);
      if (name === undefined) engineerSortNames.set(id, (name = engineerSortName(this.staffNames.get(id)!)));
      return name;
    };
    await insertAll(
      db,
      'subscriptions',
      ids,
      ({ sub }) => sub.values,
      ['unique_id', 'contact_id', 'organization_id', 'engineer_id', 'status', 'contact_sort_name', 'engineer_sort_name', 'name_sort_key', 'created_at', 'updated_at'],
      ({ sub, uniqueId }) => {
        const person = people.get(sub.contact.id!)!;
        return [
          uniqueId,
          sub.contact.id!,
          sub.organization?.id ?? null,
          sub.engineerId,
          sub.status,
          person.sortName,
          engineerSortNameOf(sub.engineerId),
          subscriptionNameSortKey(String(sub.values.name), person.firstName, person.lastName),
          sub.createdAt ?? stamp,
          stamp,
        ];
      },
      ({ sub, uniqueId }, id) => {
        subscriptionIds.set(sub, id);
        const person = people.get(sub.contact.id!)!;
        documents.push({ id, uniqueId, name: String(sub.values.name), contact: `${person.firstName} ${person.lastName}`, phones: person.phones, emails: person.emails });
      },
    );
    await insertJsonArrays(
      db,
      'subscription_status_changes',
      ['subscription_id', 'from_status', 'to_status', 'changed_at', 'changed_by_staff_id', 'changed_by_name', 'reason'],
      subs.map((s) => {
        const c = createdStatusChange(subscriptionIds.get(s)!, s.status, actor, stamp);
        return [c.subscription_id, c.from_status, c.to_status, c.changed_at, c.changed_by_staff_id, c.changed_by_name, c.reason];
      }),
    );
    const withService = subs.filter((s) => s.service !== null);
    const serviceIds = new Map<PendingSubscription, number>();
    await insertAll(
      db,
      'services',
      withService,
      (s) => s.service!.values,
      ['subscription_id', 'account_package_id', 'package_product_id', 'created_at', 'updated_at'],
      (s) => [subscriptionIds.get(s)!, null, null, stamp, stamp],
      (s, id) => serviceIds.set(s, id),
    );
    const allocations: Cell[][] = [];
    for (const s of withService) {
      const a = s.service!.address;
      if (a) allocations.push([serviceIds.get(s)!, a.networkId, 'address', a.text, a.value, a.value, stamp]);
    }
    await insertJsonArrays(db, 'ip_allocations', ['service_id', 'network_id', 'kind', 'address', 'first_int', 'last_int', 'created_at'], allocations);
    await reindexSubscriptionDocuments(db, documents);
  }

  /** First and last row held, for a message when writing them fails. */
  heldRows(): { first: number; last: number } | null {
    const s = this.subscriptions;
    return s.length ? { first: s[0]!.row, last: s[s.length - 1]!.row } : null;
  }
}
