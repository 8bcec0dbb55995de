import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWebHost, startWebHost } from '../../electron/host/web/server';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { makeContact, makeStaff } from '../fixtures/factories';

let t: TestBackend;
let host: RunningWebHost;
const token = 'test-token-123';

beforeAll(async () => {
  t = await testBackend();
  host = await startWebHost({ backend: t.backend, token, port: 0 });
});
afterAll(async () => {
  await host.close();
  await t.close();
});

const post = (procedure: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  fetch(`${host.url}api/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the HTTP transport', () => {
  it('answers bad input to subscriptions.create with 400 naming the fields, and writes nothing', async () => {
    const res = await post('subscriptions.create', { name: '', billDay: 0, contactId: 'x' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('validation');
    expect(Object.keys(body.error.fields).sort()).toEqual(['billDay', 'contactId', 'engineerId', 'name']);
    expect((await t.call('subscriptions.list', {})).total).toBe(0);
  });

  it('refuses calls without the token with 401', async () => {
    const res = await post('subscriptions.list', {}, {});
    expect(res.status).toBe(401);
    expect((await fetch(`${host.url}api`)).status).toBe(401);
  });

  it('creates a subscription and records the acting staff member from the header', async () => {
    const engineer = await makeStaff(t, { name: 'Priya Raman' });
    const contact = await makeContact(t);
    const res = await post('subscriptions.create', { name: 'Lake cabin', contactId: contact.id, engineerId: engineer.id }, { authorization: `Bearer ${token}`, 'x-towerline-staff': String(engineer.id) });
    expect(res.status).toBe(200);
    const sub = (await res.json()) as { id: number; uniqueId: string };
    expect(sub.uniqueId).toMatch(/^S-\d{6}$/);
    expect((await t.call('subscriptions.history', { id: sub.id }))[0]!.by).toBe('Priya Raman');
  });

  it('lists every procedure with its input schema', async () => {
    const res = await fetch(`${host.url}api`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { procedures: { name: string; input: { type?: string } }[] };
    const names = body.procedures.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['contacts.create', 'subscriptions.setStatus', 'search.quick', 'staff.delete', 'organizations.list']));
    expect(body.procedures.find((p) => p.name === 'subscriptions.create')!.input.type).toBe('object');
  });

  it('answers an unknown procedure with 404 and malformed JSON with 400', async () => {
    expect((await post('subscriptions.explode', {})).status).toBe(404);
    const res = await fetch(`${host.url}api/contacts.list`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
  });
});
