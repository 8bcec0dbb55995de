import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeContact, makeStaff, makeSubscription } from '../../../test/fixtures/factories';

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
});
afterEach(async () => {
  await t.close();
});

describe('subscriptions', () => {
  it('generates unique IDs in sequence and never reuses one after a delete', async () => {
    const a = await makeSubscription(t);
    const b = await makeSubscription(t);
    expect(a.uniqueId).toBe('S-000001');
    expect(b.uniqueId).toBe('S-000002');
    await t.backend.datastore.db.deleteFrom('subscription_status_changes').where('subscription_id', '=', b.id).execute();
    await t.backend.datastore.db.deleteFrom('subscriptions').where('id', '=', b.id).execute();
    const c = await makeSubscription(t);
    expect(c.uniqueId).toBe('S-000003');
  });

  it('answers bad input with errors naming each field and writes nothing', async () => {
    const error = await t.fail('subscriptions.create', { name: '   ', billDay: 31 });
    expect(error.code).toBe('validation');
    expect(error.fields).toMatchObject({ name: 'Required', contactId: 'Required', engineerId: 'Required', billDay: 'Bill day is 1 to 28' });
    const list = await t.call('subscriptions.list', {});
    expect(list.total).toBe(0);
  });

  it('changes only the fields an edit names, leaving the others as they were', async () => {
    const s = await makeSubscription(t);
    await t.call('subscriptions.update', { id: s.id, billDay: 15, notificationLevel: 'Weekly' });
    const renamed = await t.call('subscriptions.update', { id: s.id, name: 'Lakeside cabin' });
    expect(renamed).toMatchObject({ name: 'Lakeside cabin', billDay: 15, notificationLevel: 'Weekly' });
    const contact = await makeContact(t, { phones: ['603-555-0101'], emails: ['ann@example.org'] });
    const moved = await t.call('contacts.update', { id: contact.id, city: 'Conway' });
    expect(moved).toMatchObject({ city: 'Conway', phones: ['603-555-0101'], emails: ['ann@example.org'] });
  });

  it('names the field when a referenced contact does not exist', async () => {
    const engineer = await makeStaff(t);
    const error = await t.fail('subscriptions.create', { name: 'Cabin', contactId: 999, engineerId: engineer.id });
    expect(error.fields).toEqual({ contactId: 'No contact 999' });
  });

  it('records creation and every status change with from, to, who and why', async () => {
    const office = await makeStaff(t, { name: 'Carol Haines' });
    const sub = await makeSubscription(t);
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Suspended', reason: 'Unpaid since October' }, office.id);
    const history = await t.call('subscriptions.history', { id: sub.id });
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ from: 'Active', to: 'Suspended', by: 'Carol Haines', reason: 'Unpaid since October' });
    expect(history[1]).toMatchObject({ from: null, to: 'Active' });
    expect((await t.call('subscriptions.get', { id: sub.id })).status).toBe('Suspended');
  });

  it('refuses a suspension without a reason and leaves the status as it was', async () => {
    const sub = await makeSubscription(t);
    const error = await t.fail('subscriptions.setStatus', { id: sub.id, status: 'Suspended' });
    expect(error.fields).toHaveProperty('reason');
    expect((await t.call('subscriptions.get', { id: sub.id })).status).toBe('Active');
    expect(await t.call('subscriptions.history', { id: sub.id })).toHaveLength(1);
  });

  it('reopens a cancelled subscription only when asked to deliberately', async () => {
    const sub = await makeSubscription(t);
    await t.call('subscriptions.setStatus', { id: sub.id, status: 'Cancelled', reason: 'Moved away' });
    expect((await t.fail('subscriptions.setStatus', { id: sub.id, status: 'Active', reason: 'Back' })).fields).toHaveProperty('reopen');
    const reopened = await t.call('subscriptions.setStatus', { id: sub.id, status: 'Active', reason: 'Back for the summer', reopen: true });
    expect(reopened.status).toBe('Active');
  });

  it('lists with filters, sorting and paging on the server', async () => {
    const engineer = await makeStaff(t);
    for (const name of ['Cedar Cabin', 'Alder House', 'Birch Barn']) await makeSubscription(t, { name, engineerId: engineer.id });
    await makeSubscription(t, { name: 'Other engineer' });
    const page = await t.call('subscriptions.list', { engineerId: engineer.id, sortBy: 'name', pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.name)).toEqual(['Alder House', 'Birch Barn']);
    const second = await t.call('subscriptions.list', { engineerId: engineer.id, sortBy: 'name', pageSize: 2, page: 2 });
    expect(second.rows.map((r) => r.name)).toEqual(['Cedar Cabin']);
    expect((await t.call('subscriptions.list', { query: 'birch' })).rows.map((r) => r.name)).toEqual(['Birch Barn']);
  });

  it('sorts a subscription named after its contact by family name, as people sort everywhere', async () => {
    const engineer = await makeStaff(t);
    const zoe = await makeContact(t, { firstName: 'Zoe', lastName: 'Adams' });
    const ann = await makeContact(t, { firstName: 'Ann', lastName: 'Brown' });
    await makeSubscription(t, { name: 'Zoe Adams', contactId: zoe.id, engineerId: engineer.id });
    await makeSubscription(t, { name: 'Ann Brown', contactId: ann.id, engineerId: engineer.id });
    await makeSubscription(t, { name: 'adams – site 2', contactId: zoe.id, engineerId: engineer.id });
    await makeSubscription(t, { name: 'Birch Barn', contactId: ann.id, engineerId: engineer.id });
    const names = async (sortDirection: 'asc' | 'desc' = 'asc') =>
      (await t.call('subscriptions.list', { engineerId: engineer.id, sortBy: 'name', sortDirection })).rows.map((r) => r.name);
    expect(await names()).toEqual(['Zoe Adams', 'adams – site 2', 'Birch Barn', 'Ann Brown']);
    expect(await names('desc')).toEqual(['Ann Brown', 'Birch Barn', 'adams – site 2', 'Zoe Adams']);
    // Once the names differ (the contact renamed, the subscription renamed) the name sorts as written.
    await t.call('contacts.update', { id: ann.id, lastName: 'Aaron' });
    await t.call('subscriptions.update', { id: (await t.call('subscriptions.list', { query: 'Zoe Adams' })).rows[0]!.id, name: 'Zoe at the lake' });
    expect(await names()).toEqual(['adams – site 2', 'Ann Brown', 'Birch Barn', 'Zoe at the lake']);
  });
});

describe('quick search', () => {
  it('finds a subscriber by name, unique ID, phone digits or email as typed', async () => {
    const contact = await makeContact(t, { firstName: 'Renée', lastName: 'Müller', phones: ['+1 (208) 555-0147'], emails: ['renee.mueller@frontier.net'] });
    const sub = await makeSubscription(t, { contactId: contact.id, name: 'Müller farm' });
    await makeSubscription(t, { name: 'Someone else' });
    const find = async (q: string) => (await t.call('search.quick', { query: q })).map((h) => h.uniqueId);
    expect(await find('mull')).toEqual([sub.uniqueId]);
    expect(await find('renee')).toEqual([sub.uniqueId]);
    expect(await find(sub.uniqueId)).toEqual([sub.uniqueId]);
    expect(await find('555-0147')).toEqual([sub.uniqueId]);
    expect(await find('renee.mueller@fron')).toEqual([sub.uniqueId]);
    expect(await find('"*)(')).toEqual([]);
  });

  it('follows a contact renamed after the subscription was made', async () => {
    const contact = await makeContact(t, { lastName: 'Olsen' });
    const sub = await makeSubscription(t, { contactId: contact.id });
    await t.call('contacts.update', { id: contact.id, lastName: 'Lindqvist' });
    expect((await t.call('search.quick', { query: 'lindq' })).map((h) => h.subscriptionId)).toEqual([sub.id]);
    expect(await t.call('search.quick', { query: 'olsen' })).toEqual([]);
  });
});

describe('references', () => {
  it('refuses to delete a contact or engineer still referenced, with a clear message', async () => {
    const engineer = await makeStaff(t, { name: 'Dana Whitfield' });
    const contact = await makeContact(t, { firstName: 'Levi', lastName: 'Yoder' });
    await makeSubscription(t, { contactId: contact.id, engineerId: engineer.id });
    const c = await t.fail('contacts.delete', { id: contact.id });
    expect(c.code).toBe('refused');
    expect(c.message).toContain('Levi Yoder is the contact of 1 subscription');
    const s = await t.fail('staff.delete', { id: engineer.id });
    expect(s.message).toContain('Dana Whitfield is the engineer of 1 subscription');
    expect(await t.call('contacts.get', { id: contact.id })).toMatchObject({ lastName: 'Yoder' });
  });

  it('deletes a contact nobody refers to', async () => {
    const contact = await makeContact(t);
    await t.call('contacts.delete', { id: contact.id });
    expect((await t.fail('contacts.get', { id: contact.id })).code).toBe('not_found');
  });
});
