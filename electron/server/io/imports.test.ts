import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeNetwork, makePlan, makeRouter, makeService, makeStaff, makeSubscription } from '../../../test/fixtures/factories';

const csv = (name: string, text: string) => ({ name, base64: Buffer.from(text, 'utf8').toString('base64') });

let t: TestBackend;
beforeEach(async () => {
  t = await testBackend();
  await makeStaff(t, { name: 'Alex Admin' });
  await makePlan(t, { name: 'Home 25' });
  await makeRouter(t, { name: 'North tower' });
  await makeNetwork(t, { cidr: '10.20.0.0/24', kind: 'permanent', gateway: '10.20.0.1' });
});
afterEach(() => t.close());

const HEADER = 'Customer,E-Mail,Phone,Assigned to,Tariff,PPPoE user,IP address,MAC,NAS,Start date,Monthly fee,Status';

describe('subscriptions import', () => {
  it('previews without writing, then applies every row and a re-import updates instead of duplicating', async () => {
    const file = csv(
      'old-system.csv',
      `${HEADER}\nJohn Smith,john@example.com,+1 555 0100,Alex Admin,Home 25,jsmith,10.20.0.15,aa-bb-cc-dd-ee-01,North tower,3/4/2026,"49,00",Active\nMary van Dyke,mary@example.com,,alex admin,home 25,mvd,,,,2026-01-15,,Suspended\n`,
    );
    const preview = await t.call('imports.preview', { kind: 'subscriptions', file });
    expect(preview).toMatchObject({ rows: 2, creates: 2, updates: 0, errors: [], applied: false });
    expect(preview.mapping).toMatchObject({ Customer: 'fullName', 'PPPoE user': 'login', 'IP address': 'ipv4Address', MAC: 'macAddresses', NAS: 'router', 'Monthly fee': 'price' });
    expect((await t.call('subscriptions.list', {})).total).toBe(0);

    const applied = await t.call('imports.apply', { kind: 'subscriptions', file });
    expect(applied).toMatchObject({ rows: 2, creates: 2, applied: true, errorCount: 0 });
    const list = await t.call('subscriptions.list', { sortBy: 'uniqueId' });
    expect(list.rows.map((r) => [r.name, r.status, r.contactName])).toEqual([
      ['John Smith', 'Active', 'John Smith'],
      ['Mary van Dyke', 'Suspended', 'Mary van Dyke'],
    ]);
    const john = list.rows[0]!;
    const [service] = (await t.call('services.listBySubscription', { subscriptionId: john.id })).rows;
    expect(service).toMatchObject({ login: 'jsmith', ipv4Address: '10.20.0.15', macAddresses: ['AA:BB:CC:DD:EE:01'], routerName: 'North tower', startDate: '2026-03-04', priceCents: 4900, priceOverridden: true });

    // The same people again, now keyed by their unique IDs: updated, not duplicated.
    const again = csv('again.csv', `Unique ID,Customer,E-Mail,Tariff,PPPoE user,Start date,Monthly fee\n${john.uniqueId},John Smith,john@example.com,Home 25,jsmith,2026-03-04,55.00\n`);
    expect(await t.call('imports.apply', { kind: 'subscriptions', file: again })).toMatchObject({ creates: 0, updates: 1, applied: true });
    expect((await t.call('subscriptions.list', {})).total).toBe(2);
    expect((await t.call('services.listBySubscription', { subscriptionId: john.id })).rows.map((s) => s.priceCents)).toEqual([5500]);
  });

  it('counts rows that change nothing as already there and leaves them unwritten; a changed cell updates its row alone', async () => {
    const file = csv(
      'old-system.csv',
      `${HEADER}\nJohn Smith,john@example.com,+1 555 0100,Alex Admin,Home 25,jsmith,10.20.0.15,aa-bb-cc-dd-ee-01,North tower,3/4/2026,"49,00",Active\nMary van Dyke,mary@example.com,,alex admin,home 25,mvd,,,,2026-01-15,,Suspended\n`,
    );
    expect(await t.call('imports.apply', { kind: 'subscriptions', file })).toMatchObject({ creates: 2, applied: true });
    const snapshot = async () => {
      const { rows } = await t.call('subscriptions.list', { sortBy: 'uniqueId' });
      return Promise.all(
        rows.map(async (r) => ({
          subscription: await t.call('subscriptions.get', { id: r.id }),
          services: (await t.call('services.listBySubscription', { subscriptionId: r.id })).rows,
        })),
      );
    };
    const before = await snapshot();
    const exported = await t.call('exports.file', { list: 'subscriptions', format: 'xlsx' });
    // Later than any stamp above, so a write would show in updatedAt.
    await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await t.call('imports.preview', { kind: 'subscriptions', file: exported })).toMatchObject({ creates: 0, updates: 0, unchanged: 2, errorCount: 0 });
    expect(await t.call('imports.apply', { kind: 'subscriptions', file: exported })).toMatchObject({ creates: 0, updates: 0, unchanged: 2, applied: true });
    expect(await snapshot()).toEqual(before);

    const [john, mary] = before.map((b) => b.subscription);
    const changed = csv('changed.csv', `Unique ID,Customer,E-Mail,Tariff,PPPoE user,Monthly fee,Created\n${john!.uniqueId},John Smith,john@example.com,Home 25,jsmith,55.00,${john!.createdAt.slice(0, 10)}\n${mary!.uniqueId},Mary van Dyke,mary@example.com,Home 25,mvd,,${mary!.createdAt.slice(0, 10)}\n`);
    expect(await t.call('imports.apply', { kind: 'subscriptions', file: changed })).toMatchObject({ creates: 0, updates: 1, unchanged: 1, applied: true });
    const after = await snapshot();
    expect(after[0]!.services.map((s) => s.priceCents)).toEqual([5500]);
    expect(after[1]).toEqual(before[1]);
  });

  it('reports every bad row at its row and column and writes nothing, even for the good rows', async () => {
    const held = await makeService(t, { login: 'taken' });
    const file = csv(
      'bad.csv',
      [
        HEADER,
        'Good Person,good@example.com,,Alex Admin,Home 25,good1,,,,2026-01-01,,Active',
        'Bad Mac,bm@example.com,,Alex Admin,Home 25,bm,,zz:zz,,2026-01-01,,Active',
        'Dup Login,dl@example.com,,Alex Admin,Home 25,good1,,,,2026-01-01,,Active',
        'Taken Login,tl@example.com,,Alex Admin,Home 25,taken,,,,2026-01-01,,Active',
        'No Plan,np@example.com,,Alex Admin,Gold 1000,np,,,,2026-01-01,,Active',
        'Nobody Staff,ns@example.com,,Zed Unknown,Home 25,ns,,,,2026-01-01,,Active',
        'Outside Ip,oi@example.com,,Alex Admin,Home 25,oi,192.168.9.9,,,2026-01-01,,Active',
        'Bad Date,bd@example.com,,Alex Admin,Home 25,bd,,,,2026-02-30,,Active',
        'Bad Amount,ba@example.com,,Alex Admin,Home 25,ba,,,,2026-01-01,ten,Active',
        'Bad Status,bs@example.com,,Alex Admin,Home 25,bs,,,,2026-01-01,,Sleeping',
        ',,,Alex Admin,Home 25,nn,,,,2026-01-01,,Active',
      ].join('\n'),
    );
    const before = await t.call('subscriptions.list', {});
    const report = await t.call('imports.apply', { kind: 'subscriptions', file });
    expect(report.applied).toBe(false);
    const at = (row: number) => report.errors.filter((e) => e.row === row).map((e) => `${e.column}: ${e.message}`);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual([expect.stringMatching(/^MAC: "zz:zz" is not a MAC address/)]);
    expect(at(4)).toEqual(['PPPoE user: "good1" is also on row 2 of this file']);
    expect(at(5)).toEqual([expect.stringMatching(new RegExp(`^PPPoE user: Login "taken" is already used by a service of ${held.subscriptionId ? 'S-' : ''}`))]);
    expect(at(6)).toEqual(['Tariff: No plan named "Gold 1000"']);
    expect(at(7)).toEqual(['Assigned to: No staff member named "Zed Unknown"']);
    expect(at(8)).toEqual(['IP address: 192.168.9.9 is not in any permanent network']);
    expect(at(9)).toEqual([expect.stringMatching(/^Start date: "2026-02-30" is not a date/)]);
    expect(at(10)).toEqual([expect.stringMatching(/^Monthly fee: "ten" is not an amount/)]);
    expect(at(11)).toEqual([expect.stringMatching(/^Status: "Sleeping" is not one of/)]);
    expect(at(12)).toEqual([expect.stringMatching(/^Customer: Required/)]);
    expect(await t.call('subscriptions.list', {})).toEqual(before);
  });
});

describe('payments, devices and services imports', () => {
  it('records payments allocated like by hand, and a second import of the same file records nothing new', async () => {
    const sub = await makeSubscription(t);
    const file = csv('payments.csv', `Account No.;Paid on;Amount paid;Payment method;Transaction ID\n${sub.uniqueId};15.01.2026;25,00;Bank transfer;TX-1\n${sub.uniqueId};2026-01-20;10;cash;\nS-999999;2026-01-20;10;cash;\n`);
    const bad = await t.call('imports.apply', { kind: 'payments', file });
    expect(bad.errors).toEqual([{ row: 4, column: 'Account No.', message: 'No subscription S-999999' }]);
    const good = csv('payments.csv', `Account No.;Paid on;Amount paid;Payment method;Transaction ID\n${sub.uniqueId};15.01.2026;25,00;Bank transfer;TX-1\n${sub.uniqueId};2026-01-20;10;cash;\n`);
    expect(await t.call('imports.apply', { kind: 'payments', file: good })).toMatchObject({ creates: 2, applied: true });
    expect(await t.call('imports.apply', { kind: 'payments', file: good })).toMatchObject({ creates: 0, unchanged: 2, applied: true });
    const payments = await t.call('payments.listBySubscription', { subscriptionId: sub.id });
    expect(payments.map((p) => [p.receivedDate, p.amountCents, p.method, p.reference])).toEqual([
      ['2026-01-20', 1000, 'cash', null],
      ['2026-01-15', 2500, 'bank_transfer', 'TX-1'],
    ]);
  });

  it('imports devices linked to a service by login and updates them by serial', async () => {
    const service = await makeService(t, { login: 'cpe-user' });
    const sub = await t.call('subscriptions.get', { id: service.subscriptionId });
    const file = csv('devices.csv', `Unique ID,Type,Vendor,Serial,MAC address,Service login\n${sub.uniqueId},cpe,Ubiquiti,UB1,aabbccddee02,cpe-user\n`);
    expect(await t.call('imports.apply', { kind: 'devices', file })).toMatchObject({ creates: 1, applied: true });
    const again = csv('devices.csv', `Unique ID,Type,Vendor,Serial\n${sub.uniqueId},Router,MikroTik,UB1\n`);
    expect(await t.call('imports.apply', { kind: 'devices', file: again })).toMatchObject({ creates: 0, updates: 1, applied: true });
    expect(await t.call('imports.apply', { kind: 'devices', file: again })).toMatchObject({ creates: 0, updates: 0, unchanged: 1, applied: true });
    const [device] = (await t.call('devices.listBySubscription', { subscriptionId: sub.id })).rows;
    expect(device).toMatchObject({ type: 'Router', vendor: 'MikroTik', macAddress: 'AA:BB:CC:DD:EE:02', serviceId: service.id });
  });

  it('refuses a mapping that maps one field twice, naming both columns', async () => {
    const err = await t.fail('imports.preview', { kind: 'services', file: csv('s.csv', 'A,B\n1,2\n'), mapping: { A: 'login', B: 'login' } });
    expect(err.message).toBe('Columns "A" and "B" are both mapped to Login; map it once.');
  });

  it('saves a named mapping and lists it for its kind', async () => {
    await t.call('imports.mappings.save', { name: 'Splynx', kind: 'subscriptions', mapping: { Customer: 'fullName', Foo: null } });
    await t.call('imports.mappings.save', { name: 'Splynx', kind: 'subscriptions', mapping: { Customer: 'fullName' }, keyColumn: 'ID' });
    const saved = await t.call('imports.mappings.list', { kind: 'subscriptions' });
    expect(saved.map((s) => [s.name, s.mapping, s.keyColumn])).toEqual([['Splynx', { Customer: 'fullName' }, 'ID']]);
  });
});
