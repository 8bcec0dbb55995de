import type { Insertable } from 'kysely';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import { nextSequenceValue } from '../db/sequences';
import type { ContactsTable, SubscriptionStatusChangesTable, SubscriptionsTable } from '../subscribers/tables';
import { contactSortName, engineerSortName } from '../subscribers/sort-keys';
import { formatUniqueId } from '../subscribers/unique-id';
import { BUSINESS_KINDS, BUSINESS_WORDS, FIRST_NAMES, LAST_NAMES, STREETS, TOWNS } from './names';
import type { Random } from './random';

const STAFF = [
  ['Dana Whitfield', 'Engineer'], ['Marcus Oyelaran', 'Engineer'], ['Priya Raman', 'Engineer'], ['Tom Beaulieu', 'Engineer'],
  ['Jess Kowalczyk', 'Technician'], ['Luis Ortega', 'Technician'], ['Carol Haines', 'Office'], ['Pete Sorensen', 'Manager'],
] as const;

const STATUS_WEIGHTS: readonly (readonly [SubscriptionStatus, number])[] = [
  ['Active', 82], ['Inactive', 5], ['Suspended', 6], ['Cancelled', 5], ['Completed', 2],
];

const REASONS: Partial<Record<SubscriptionStatus, string[]>> = {
  Suspended: ['Unpaid invoices past due', 'Customer request: away for the winter', 'Abuse report under review'],
  Cancelled: ['Moved out of the coverage area', 'Switched to fiber from another provider', 'Unpaid balance sent to collections'],
  Completed: ['Seasonal campsite closed for the year', 'Contract term ended'],
  Inactive: ['Snowbird: paused until spring', 'House for sale, service paused'],
};

async function insertChunked<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

function phoneFor(rng: Random): string {
  return `+1 (208) ${rng.int(200, 989)}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

function emailFor(first: string, last: string, rng: Random, n: number): string {
  const clean = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const domain = rng.pick(['gmail.com', 'yahoo.com', 'outlook.com', 'frontier.net', 'icloud.com']);
  return `${clean(first)}.${clean(last)}${n}@${domain}`;
}

function isoDaysBefore(today: Date, days: number): string {
  return new Date(today.getTime() - days * 86_400_000).toISOString();
}

export interface PeopleSeed {
  staffIds: number[];
  subscriptionIds: number[];
}

/** Staff, organizations, contacts and subscriptions in every status, with their status history. */
export async function seedPeople(db: Db, rng: Random, count: number, today: Date): Promise<PeopleSeed> {
  const stamp = today.toISOString();
  const staffIds: number[] = [];
  for (const [name, role] of STAFF) {
    const email = `${name.split(' ')[0]!.toLowerCase()}@pinehollow.net`;
    const { id } = await db.insertInto('staff').values({ name, role, email, phone: phoneFor(rng), active: 1, created_at: stamp }).returning('id').executeTakeFirstOrThrow();
    staffIds.push(id);
  }
  const engineers = staffIds.slice(0, 6);

  const organizationIds: number[] = [];
  const orgCount = Math.max(3, Math.round(count / 14));
  for (let i = 0; i < orgCount; i++) {
    const [what, kind] = rng.pick(BUSINESS_KINDS);
    const [city, region, postalCode] = rng.pick(TOWNS);
    const { id } = await db
      .insertInto('organizations')
      .values({
        name: `${rng.pick(BUSINESS_WORDS)} ${what}${i >= BUSINESS_WORDS.length * BUSINESS_KINDS.length ? ` #${i}` : ''}`,
        kind,
        phone: phoneFor(rng),
        email: null,
        street: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
        city,
        region,
        postal_code: postalCode,
        country: 'United States',
        notes: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    organizationIds.push(id);
  }

  const contacts: Insertable<ContactsTable>[] = [];
  const contactOrg: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const [city, region, postalCode] = rng.pick(TOWNS);
    const org = rng.chance(0.12) ? rng.pick(organizationIds) : null;
    contactOrg.push(org);
    const phones = rng.chance(0.3) ? [phoneFor(rng), phoneFor(rng)] : [phoneFor(rng)];
    contacts.push({
      first_name: first,
      last_name: last,
      organization_id: org,
      phones: JSON.stringify(phones),
      emails: JSON.stringify(rng.chance(0.9) ? [emailFor(first, last, rng, i + 1)] : []),
      street: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
      city,
      region,
      postal_code: postalCode,
      country: 'United States',
      latitude: Math.round((47 + rng.next() * 2) * 1e6) / 1e6,
      longitude: Math.round((-117 + rng.next() * 2) * 1e6) / 1e6,
      notes: null,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  const contactIds: number[] = [];
  await insertChunked(contacts, 500, async (chunk) => {
    const rows = await db.insertInto('contacts').values(chunk).returning('id').execute();
    contactIds.push(...rows.map((r) => r.id));
  });

  // Unique IDs come from the same sequence staff use, so new subscriptions continue after the demo ones.
  const first = await nextSequenceValue(db, 'subscription_unique_id');
  await db.updateTable('sequences').set({ next_value: first + count }).where('name', '=', 'subscription_unique_id').execute();
  const subscriptions: Insertable<SubscriptionsTable>[] = [];
  const statuses: SubscriptionStatus[] = [];
  const createdDays: number[] = [];
  for (let i = 0; i < count; i++) {
    const status = rng.weighted(STATUS_WEIGHTS);
    const org = contactOrg[i]!;
    const c = contacts[i]!;
    const days = rng.int(30, 1400);
    const engineerIndex = rng.int(0, engineers.length - 1);
    statuses.push(status);
    createdDays.push(days);
    subscriptions.push({
      unique_id: formatUniqueId(first + i),
      contact_id: contactIds[i]!,
      organization_id: org,
      name: org && rng.chance(0.5) ? `${c.last_name} – site ${rng.int(1, 40)}` : `${c.first_name} ${c.last_name}`,
      status,
      engineer_id: engineers[engineerIndex]!,
      contact_sort_name: contactSortName(c.first_name, c.last_name),
      engineer_sort_name: engineerSortName(STAFF[engineerIndex]![0]),
      notification_level: rng.weighted([['Now', 80], ['Daily', 10], ['Weekly', 6], ['Never', 4]] as const),
      description: rng.chance(0.2) ? rng.pick(['Tower 3 sector B', 'Line of sight through trees', 'Seasonal', 'Business hours support']) : null,
      bill_day: rng.chance(0.7) ? 1 : rng.int(2, 28),
      service_password: null,
      created_at: isoDaysBefore(today, days),
      updated_at: stamp,
    });
  }
  const subscriptionIds: number[] = [];
  await insertChunked(subscriptions, 500, async (chunk) => {
    const rows = await db.insertInto('subscriptions').values(chunk).returning('id').execute();
    subscriptionIds.push(...rows.map((r) => r.id));
  });

  const history: Insertable<SubscriptionStatusChangesTable>[] = [];
  const office = { id: staffIds[6]!, name: STAFF[6][0] };
  subscriptionIds.forEach((id, i) => {
    const days = createdDays[i]!;
    const initial: SubscriptionStatus = 'Active';
    history.push({ subscription_id: id, from_status: null, to_status: initial, changed_at: isoDaysBefore(today, days), changed_by_staff_id: office.id, changed_by_name: office.name, reason: 'Subscription created' });
    const status = statuses[i]!;
    if (status !== initial) {
      history.push({
        subscription_id: id,
        from_status: initial,
        to_status: status,
        changed_at: isoDaysBefore(today, rng.int(1, days - 1)),
        changed_by_staff_id: office.id,
        changed_by_name: office.name,
        reason: rng.pick(REASONS[status] ?? ['Updated by office']),
      });
    }
  });
  await insertChunked(history, 1000, (chunk) => db.insertInto('subscription_status_changes').values(chunk).execute());
  return { staffIds, subscriptionIds };
}
