import type { subscribersApi } from '../../../shared/api/subscribers';
import type { HandlersFor } from '../api/handlers';
import { createContact, deleteContact, getContact, listContacts, updateContact } from './contacts';
import { createOrganization, deleteOrganization, getOrganization, listOrganizations, updateOrganization } from './organizations';
import { quickSearch } from './quick-search';
import { createStaff, deleteStaff, getStaff, listStaff, updateStaff } from './staff';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  setSubscriptionStatus,
  subscriptionHistory,
  updateSubscription,
} from './subscriptions';

const done = { deleted: true } as const;

export const subscriberHandlers: HandlersFor<typeof subscribersApi> = {
  'staff.create': (input, { db, now }) => createStaff(db, input, now()),
  'staff.get': ({ id }, { db }) => getStaff(db, id),
  'staff.list': ({ includeInactive }, { db }) => listStaff(db, includeInactive),
  'staff.update': ({ id, ...patch }, { db }) => updateStaff(db, id, patch),
  'staff.delete': async ({ id }, { db }) => (await deleteStaff(db, id), done),

  'organizations.create': (input, { db, now }) => createOrganization(db, input, now()),
  'organizations.get': ({ id }, { db }) => getOrganization(db, id),
  'organizations.list': ({ query, page, pageSize }, { db }) => listOrganizations(db, query, page, pageSize),
  'organizations.update': ({ id, ...patch }, { db, now }) => updateOrganization(db, id, patch, now()),
  'organizations.delete': async ({ id }, { db }) => (await deleteOrganization(db, id), done),

  'contacts.create': (input, { db, now }) => createContact(db, input, now()),
  'contacts.get': ({ id }, { db }) => getContact(db, id),
  'contacts.list': ({ query, page, pageSize }, { db }) => listContacts(db, query, page, pageSize),
  'contacts.update': ({ id, ...patch }, { db, now }) => updateContact(db, id, patch, now()),
  'contacts.delete': async ({ id }, { db }) => (await deleteContact(db, id), done),

  'subscriptions.create': (input, { db, actor, now }) => createSubscription(db, input, actor, now()),
  'subscriptions.get': ({ id }, { db }) => getSubscription(db, id),
  'subscriptions.list': (input, { db }) => listSubscriptions(db, input),
  'subscriptions.update': ({ id, ...patch }, { db, now }) => updateSubscription(db, id, patch, now()),
  'subscriptions.setStatus': (input, { db, actor, now }) => setSubscriptionStatus(db, input, actor, now()),
  'subscriptions.history': ({ id }, { db }) => subscriptionHistory(db, id),

  'search.quick': ({ query, limit }, { db }) => quickSearch(db, query, limit),
};

