import { PAYMENT_METHODS } from '../../../shared/api/billing';
import { DEVICE_STATUSES, DEVICE_TYPES, SERVICE_STATUSES } from '../../../shared/api/services';
import { NOTIFICATION_LEVELS } from '../../../shared/api/subscribers';
import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/subscription-status';
import { IMPORT_KINDS } from '../../../shared/api/io';
import { columnLetter, normalizeName } from './cells';

export { columnLetter };

/**
 * What each import kind reads: its fields, the headers they are known by (old systems' spellings
 * included), and how a cell becomes a value. Pure data, so mapping is testable without a file.
 */

export { IMPORT_KINDS };
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type FieldType = 'text' | 'date' | 'endDate' | 'money' | 'integer' | 'choice';

export interface FieldSpec {
  key: string;
  label: string;
  type: FieldType;
  synonyms: readonly string[];
  choices?: readonly string[];
  aliases?: Record<string, string>;
  /** Needed to create a record (an update may leave it out). */
  required?: boolean;
  /** An example for templates. */
  sample: string | number;
}

const f = (key: string, label: string, type: FieldType, synonyms: readonly string[], sample: string | number, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key,
  label,
  type,
  synonyms,
  sample,
  ...extra,
});

const uniqueId = (required: boolean) =>
  f('uniqueId', 'Unique ID', 'text', ['id', 'customer id', 'client id', 'account', 'account number', 'account no', 'subscriber id', 'customer number', 'subscription id'], 'S-000001', { required });

const serviceFields: FieldSpec[] = [
  f('plan', 'Plan', 'text', ['tariff', 'package', 'service plan', 'plan name', 'tariff plan', 'internet plan', 'profile'], 'Home 25/5'),
  f('login', 'Login', 'text', ['pppoe user', 'pppoe login', 'pppoe username', 'username', 'user name', 'user', 'radius user', 'hotspot user'], 'jsmith'),
  f('password', 'Password', 'text', ['pppoe password', 'service password', 'secret', 'radius password'], 'secret123'),
  f('ipv4Address', 'IPv4 address', 'text', ['ip', 'ip address', 'ipv4', 'static ip', 'framed ip', 'framed ip address', 'address ip'], '10.20.0.15'),
  f('macAddresses', 'MAC addresses', 'text', ['mac', 'mac address', 'macs', 'cpe mac', 'caller id'], 'AA:BB:CC:DD:EE:01'),
  f('router', 'Router', 'text', ['nas', 'router name', 'nas name', 'access point', 'tower'], 'Main tower'),
  f('startDate', 'Start date', 'date', ['start', 'service start', 'activation date', 'activated', 'since', 'from'], '2026-01-01'),
  f('endDate', 'End date', 'endDate', ['end', 'service end', 'expiry', 'expires', 'expiration date', 'until', 'to'], ''),
  f('price', 'Own price', 'money', ['price', 'monthly price', 'monthly fee', 'fee', 'amount', 'rate', 'cost'], '49.00'),
  f('serviceStatus', 'Service status', 'choice', ['service state'], 'Active', { choices: SERVICE_STATUSES }),
];

const SPECS: Record<ImportKind, FieldSpec[]> = {
  subscriptions: [
    uniqueId(false),
    f('name', 'Name', 'text', ['subscription', 'subscription name', 'account name'], 'John Smith'),
    f('fullName', 'Contact', 'text', ['customer', 'customer name', 'full name', 'client', 'client name', 'subscriber', 'contact name'], 'John Smith'),
    f('firstName', 'First name', 'text', ['given name', 'forename'], 'John'),
    f('lastName', 'Last name', 'text', ['surname', 'family name'], 'Smith'),
    f('email', 'Email', 'text', ['e-mail', 'mail', 'email address', 'e-mail address'], 'john@example.com'),
    f('phone', 'Phone', 'text', ['telephone', 'mobile', 'cell', 'phone number', 'tel', 'mobile phone'], '+1 555 0100'),
    f('organization', 'Organization', 'text', ['company', 'organisation', 'business', 'company name'], ''),
    f('street', 'Street', 'text', ['address', 'street address', 'address line 1'], '1 Main St'),
    f('city', 'City', 'text', ['town'], 'Springfield'),
    f('region', 'Region', 'text', ['state', 'province', 'county'], 'IL'),
    f('postalCode', 'Postal code', 'text', ['zip', 'zip code', 'postcode', 'post code'], '62701'),
    f('country', 'Country', 'text', [], 'USA'),
    f('status', 'Status', 'choice', ['subscription status', 'account status', 'state'], 'Active', { choices: SUBSCRIPTION_STATUSES, aliases: { enabled: 'Active', disabled: 'Inactive', blocked: 'Suspended', closed: 'Cancelled' } }),
    f('engineer', 'Engineer', 'text', ['staff', 'technician', 'responsible', 'assigned to', 'manager', 'staff member'], 'Alex Admin', { required: true }),
    f('billDay', 'Bill day', 'integer', ['billing day', 'invoice day'], 1),
    f('notificationLevel', 'Notifications', 'choice', ['notification level'], 'Now', { choices: NOTIFICATION_LEVELS }),
    f('description', 'Description', 'text', ['notes', 'note', 'comment', 'comments', 'remarks'], ''),
    f('servicePassword', 'Subscription password', 'text', ['portal password', 'subscription password', 'account password'], ''),
    f('createdAt', 'Created', 'date', ['customer since', 'signup date', 'created at', 'date created', 'registration date'], '2025-06-01'),
    ...serviceFields,
  ],
  services: [uniqueId(true), f('description', 'Description', 'text', ['service', 'service name', 'service description'], ''), ...serviceFields.map((s) => (s.key === 'plan' ? { ...s, required: true } : s))],
  devices: [
    uniqueId(true),
    f('type', 'Type', 'choice', ['device type', 'equipment type', 'kind'], 'CPE radio', { choices: DEVICE_TYPES, required: true, aliases: { cpe: 'CPE radio', radio: 'CPE radio', ap: 'Access point', onu: 'ONT', ata: 'VoIP adapter' } }),
    f('vendor', 'Vendor', 'text', ['manufacturer', 'brand', 'make'], 'Ubiquiti'),
    f('model', 'Model', 'text', ['device model'], 'LiteBeam 5AC'),
    f('serial', 'Serial', 'text', ['serial number', 'sn', 's n', 'serial no'], 'UB12345'),
    f('macAddress', 'MAC address', 'text', ['mac', 'device mac'], 'AA:BB:CC:DD:EE:02'),
    f('managementIp', 'Management IP', 'text', ['ip', 'ip address', 'mgmt ip', 'management address'], '10.99.0.2'),
    f('firmware', 'Firmware', 'text', ['firmware version', 'version', 'fw'], '8.7.11'),
    f('installDate', 'Install date', 'date', ['installed', 'installation date', 'date installed'], '2026-01-01'),
    f('location', 'Location', 'text', ['site', 'position', 'mounted at'], 'Roof'),
    f('status', 'Status', 'choice', ['device status', 'state'], 'Active', { choices: DEVICE_STATUSES }),
    f('serviceLogin', 'Service login', 'text', ['login', 'pppoe user', 'linked service'], 'jsmith'),
    f('notes', 'Notes', 'text', ['note', 'comment', 'comments', 'description'], ''),
  ],
  payments: [
    uniqueId(true),
    f('receivedDate', 'Date', 'date', ['received', 'received date', 'payment date', 'paid on', 'date paid'], '2026-01-15', { required: true }),
    f('amount', 'Amount', 'money', ['paid', 'payment', 'sum', 'total', 'amount paid'], '49.00', { required: true }),
    f('method', 'Method', 'choice', ['payment method', 'type', 'paid by', 'via'], 'Bank transfer', {
      choices: PAYMENT_METHODS,
      required: true,
      aliases: { banktransfer: 'bank_transfer', bank: 'bank_transfer', transfer: 'bank_transfer', wire: 'bank_transfer', check: 'cheque', creditcard: 'card', cardenteredbyhand: 'card', debitcard: 'card' },
    }),
    f('reference', 'Reference', 'text', ['ref', 'transaction id', 'transaction', 'receipt', 'receipt number', 'cheque number'], 'TX-1001'),
    f('notes', 'Notes', 'text', ['note', 'comment', 'comments', 'memo'], ''),
  ],
};

export function fieldsOf(kind: ImportKind): readonly FieldSpec[] {
  return SPECS[kind];
}

/** Fields a re-import may match existing records on (the key column's field). */
export const KEY_FIELDS: Record<ImportKind, readonly string[]> = {
  subscriptions: ['uniqueId', 'name', 'email'],
  services: ['login'],
  devices: ['serial', 'macAddress'],
  payments: ['reference'],
};

/** column header → field key, or null for a column that is not imported. */
export type ColumnMapping = Record<string, string | null>;

/**
 * Matches each header to a field: case, spacing and punctuation ignored, then the field's known
 * synonyms. A field takes the first column that names it; later look-alikes stay unmapped.
 */
export function autoMap(kind: ImportKind, headers: readonly string[]): ColumnMapping {
  const specs = SPECS[kind];
  const names = new Map<string, string>();
  for (const s of specs) for (const n of [s.key, s.label, ...s.synonyms]) if (!names.has(normalizeName(n))) names.set(normalizeName(n), s.key);
  const taken = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const h of headers) {
    const key = names.get(normalizeName(h)) ?? null;
    if (key && !taken.has(key)) {
      taken.add(key);
      mapping[h] = key;
    } else mapping[h] = null;
  }
  return mapping;
}

/** Headers as columns: blank ones named by their letter, repeated ones numbered, so each is a key. */
export function headerNames(cells: readonly unknown[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    let name = c === null || c === undefined ? '' : String(c instanceof Date ? c.toISOString().slice(0, 10) : c).trim();
    if (name === '') name = `Column ${columnLetter(i)}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

