import { z } from 'zod';
import { INITIAL_STATUSES, SUBSCRIPTION_STATUSES } from '../domain/subscription-status';
import { deleted, id, isoDateTime, optionalText, pageInput, pageOf, patchOf, requiredText, sortDirection } from './common';
import { procedure } from './procedure';

/** Phone numbers: digits with the usual separators; at least five digits. */
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]+$/, 'Use digits, spaces, +, -, ( ) only')
  .refine((p) => p.replace(/\D/g, '').length >= 5, 'Too short for a phone number');
const email = z.string().trim().toLowerCase().pipe(z.email('Not a valid email address'));

const address = {
  street: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postalCode: optionalText(20),
  country: optionalText(100),
};

// --- Staff ---------------------------------------------------------------------------------

export const STAFF_ROLES = ['Engineer', 'Technician', 'Office', 'Manager'] as const;

export const staffFields = z.object({
  name: requiredText(120),
  email: email.nullish().or(z.literal('').transform(() => null)),
  phone: phone.nullish().or(z.literal('').transform(() => null)),
  role: z.enum(STAFF_ROLES).default('Engineer'),
  active: z.boolean().default(true),
});
export const staffMember = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  active: z.boolean(),
  subscriptionCount: z.number().int(),
});

// --- Organizations -------------------------------------------------------------------------

export const ORGANIZATION_KINDS = ['Company', 'Household', 'Campground', 'RV park', 'Marina', 'Public body'] as const;

export const organizationFields = z.object({
  name: requiredText(200),
  kind: z.enum(ORGANIZATION_KINDS).default('Company'),
  phone: phone.nullish().or(z.literal('').transform(() => null)),
  email: email.nullish().or(z.literal('').transform(() => null)),
  ...address,
  notes: optionalText(),
});
export const organization = z.object({
  id,
  name: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  notes: z.string().nullable(),
  contactCount: z.number().int(),
  subscriptionCount: z.number().int(),
});

// --- Contacts ------------------------------------------------------------------------------

export const contactFields = z.object({
  firstName: requiredText(100),
  lastName: requiredText(100),
  organizationId: id.nullish().transform((v) => v ?? null),
  phones: z.array(phone).max(5, 'At most 5 phone numbers').default([]),
  emails: z.array(email).max(5, 'At most 5 email addresses').default([]),
  ...address,
  latitude: z.number().min(-90, 'Latitude is between -90 and 90').max(90, 'Latitude is between -90 and 90').nullish().transform((v) => v ?? null),
  longitude: z.number().min(-180, 'Longitude is between -180 and 180').max(180, 'Longitude is between -180 and 180').nullish().transform((v) => v ?? null),
  notes: optionalText(),
});
export const contact = z.object({
  id,
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  organizationId: id.nullable(),
  organizationName: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  street: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  notes: z.string().nullable(),
  subscriptionCount: z.number().int(),
});

// --- Subscriptions -------------------------------------------------------------------------

export const subscriptionStatus = z.enum(SUBSCRIPTION_STATUSES);
export const NOTIFICATION_LEVELS = ['Now', 'Daily', 'Weekly', 'Never'] as const;

export const subscriptionFields = z.object({
  contactId: id,
  organizationId: id.nullish().transform((v) => v ?? null),
  name: requiredText(200),
  engineerId: id,
  notificationLevel: z.enum(NOTIFICATION_LEVELS).default('Now'),
  description: optionalText(),
  billDay: z.number().int('Bill day is a whole day of the month').min(1, 'Bill day is 1 to 28').max(28, 'Bill day is 1 to 28').default(1),
  servicePassword: optionalText(100),
});

export const subscriptionSummaryRow = z.object({
  id,
  uniqueId: z.string(),
  name: z.string(),
  status: subscriptionStatus,
  contactId: id,
  contactName: z.string(),
  organizationName: z.string().nullable(),
  engineerId: id,
  engineerName: z.string(),
  billDay: z.number().int(),
  createdAt: isoDateTime,
});

export const subscription = subscriptionSummaryRow.extend({
  organizationId: id.nullable(),
  notificationLevel: z.enum(NOTIFICATION_LEVELS),
  description: z.string().nullable(),
  servicePassword: z.string().nullable(),
  contactPhones: z.array(z.string()),
  contactEmails: z.array(z.string()),
  updatedAt: isoDateTime,
  counts: z.object({ services: z.number().int(), hotspotUsers: z.number().int(), devices: z.number().int() }),
});

export const statusChange = z.object({
  id,
  from: subscriptionStatus.nullable(),
  to: subscriptionStatus,
  at: isoDateTime,
  by: z.string(),
  reason: z.string().nullable(),
});

export const SUBSCRIPTION_SORT_COLUMNS = ['uniqueId', 'name', 'status', 'contactName', 'engineerName', 'createdAt'] as const;

/** What Ctrl+K can find a subscription by. */
export const SEARCH_HIT_KINDS = ['subscription', 'organization', 'login', 'hotspotLogin', 'voucher', 'ip', 'mac', 'serial', 'invoice'] as const;

export const searchHit = z.object({
  subscriptionId: id,
  uniqueId: z.string(),
  name: z.string(),
  contactName: z.string(),
  status: subscriptionStatus,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** What the query matched: the subscription itself (name, unique ID, contact) or something it holds. */
  kind: z.enum(SEARCH_HIT_KINDS),
  /** Said to staff, e.g. "IP 10.20.0.45 · service Wireless 100/20"; null for a plain name match. */
  matched: z.string().nullable(),
  /** The subscription's tab that shows what matched. */
  opens: z.enum(['summary', 'services', 'hotspot', 'devices', 'billing']),
});

const byId = z.object({ id });

export const subscribersApi = {
  'staff.create': procedure('Add a staff member.', staffFields, staffMember),
  'staff.get': procedure('One staff member.', byId, staffMember),
  'staff.list': procedure(
    'Staff members, active first.',
    z.object({ includeInactive: z.boolean().default(true) }).default({ includeInactive: true }),
    z.array(staffMember),
  ),
  'staff.update': procedure('Change a staff member.', byId.extend(patchOf(staffFields)), staffMember),
  'staff.delete': procedure('Delete a staff member no subscription refers to.', byId, deleted),

  'organizations.create': procedure('Add an organization.', organizationFields, organization),
  'organizations.get': procedure('One organization.', byId, organization),
  'organizations.list': procedure(
    'Organizations by name, optionally filtered.',
    z.object({ query: z.string().trim().max(100).optional(), ...pageInput }).default({ page: 1, pageSize: 50 }),
    pageOf(organization),
  ),
  'organizations.update': procedure('Change an organization.', byId.extend(patchOf(organizationFields)), organization),
  'organizations.delete': procedure('Delete an organization no contact or subscription refers to.', byId, deleted),

  'contacts.create': procedure('Add a contact.', contactFields, contact),
  'contacts.get': procedure('One contact.', byId, contact),
  'contacts.list': procedure(
    'Contacts by last name, optionally filtered by name, phone or email.',
    z.object({ query: z.string().trim().max(100).optional(), ...pageInput }).default({ page: 1, pageSize: 50 }),
    pageOf(contact),
  ),
  'contacts.update': procedure('Change a contact.', byId.extend(patchOf(contactFields)), contact),
  'contacts.delete': procedure('Delete a contact no subscription refers to.', byId, deleted),

  'subscriptions.create': procedure(
    'Open a subscription; its unique ID is generated.',
    subscriptionFields.extend({ status: z.enum(INITIAL_STATUSES).default('Active') }),
    subscription,
  ),
  'subscriptions.get': procedure('One subscription with its counts.', byId, subscription),
  'subscriptions.list': procedure(
    'Subscriptions, paged on the server, with search, status and engineer filters.',
    z
      .object({
        query: z.string().trim().max(100).optional(),
        status: subscriptionStatus.optional(),
        engineerId: id.optional(),
        contactId: id.optional(),
        organizationId: id.optional(),
        sortBy: z.enum(SUBSCRIPTION_SORT_COLUMNS).default('uniqueId'),
        sortDirection,
        ...pageInput,
      })
      .default({ sortBy: 'uniqueId', sortDirection: 'asc', page: 1, pageSize: 50 }),
    pageOf(subscriptionSummaryRow),
  ),
  'subscriptions.update': procedure('Change a subscription\'s details (status has its own procedure).', byId.extend(patchOf(subscriptionFields)), subscription),
  'subscriptions.setStatus': procedure(
    'Move a subscription to another status, recording who, when and why.',
    z.object({
      id,
      status: subscriptionStatus,
      reason: optionalText(500),
      reopen: z.boolean().default(false),
      // Cancelling in a contract's term charges its early-cancellation fee unless waived with a reason (recorded).
      waiveFeeReason: optionalText(500),
    }),
    subscription,
  ),
  'subscriptions.history': procedure('Status changes of a subscription, newest first.', byId, z.array(statusChange)),

  'search.quick': procedure(
    'Find subscriptions by name, unique ID, phone, email or organization, or by what they hold: a PPPoE or hotspot login, voucher code, IP address, MAC (any spelling), device serial or invoice number; each hit says what matched.',
    z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(10) }),
    z.array(searchHit),
  ),
};
