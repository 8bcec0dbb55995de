import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestBackend, testBackend } from '../../../test/fixtures/backend';
import { makeNetwork, makePlan, makeRouter, makeService, makeStaff } from '../../../test/fixtures/factories';
import { KEEP_ROWS } from './bulk';
import { dryRunReuse } from './imports';

const csv = (name: string, text: string) => ({ name, base64: Buffer.from(text, 'utf8').toString('base64') });
let time = '2026-05-04T10:00:00.000Z';
const clock = () => new Date(time);

async function seeded(): Promise<TestBackend> {
  const t = await testBackend({ now: clock });
  const alex = await makeStaff(t, { name: 'Alex Admin' });
  await makePlan(t, { name: 'Home 25' });
  await makeRouter(t, { name: 'North tower' });
  await makeNetwork(t, { cidr: '10.20.0.0/24', kind: 'permanent', gateway: '10.20.0.1' });
  // A stored customer the file's rows may share a contact with (by name and phone).
  const contact = await t.call('contacts.create', { firstName: 'Stored', lastName: 'Customer', phones: ['+1 555 0000'] });
  await t.call('subscriptions.create', { name: 'Stored Customer', contactId: contact.id, engineerId: alex.id });
  return t;
}

/** Every row of the tables an import writes, as SQLite holds them. */
async function tables(t: TestBackend) {
  const db = t.backend.datastore.db;
  const out: Record<string, unknown[]> = {};
  for (const table of ['organizations', 'contacts', 'subscriptions', 'subscription_status_changes', 'services', 'ip_allocations', 'network_outbox', 'sequences']) {
    out[table] = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by rowid`.execute(db)).rows.map((r) => {
      // The outbox stamps rows with SQLite's own clock.
      const { created_at: _c, ...rest } = r;
      return table === 'network_outbox' ? rest : r;
    });
  }
  out.search = (await sql`select rowid, * from subscription_search order by rowid`.execute(db)).rows;
  return out;
}

const HEADER = 'Unique ID,Name,Customer,E-Mail,Phone,Company,Assigned to,Tariff,PPPoE user,IP address,MAC,NAS,Start date,Monthly fee,Status,Customer since';
const ROWS = [
  ',Acme Office,John Smith,john@example.com,+1 555 0100,Acme Ltd,Alex Admin,Home 25,jsmith,10.20.0.15,aa-bb-cc-dd-ee-01,North tower,2026-03-04,49.00,Active,2020-02-01',
  // The same contact (by e-mail) and organization as the row above: created once, shared.
  ',Acme Warehouse,John Smith,JOHN@example.com,,acme ltd,Alex Admin,Home 25,jsmith2,10.20.0.16,,,2026-03-05,,Active,',
  // Opened Inactive: its service starts stopped, like the form does it.
  ',Mary Home,Mary van Dyke,mary@example.com,,,alex admin,home 25,mvd,,,North tower,2026-01-15,,Inactive,',
  // The file's own unique ID is kept; the generated ones go around it.
  'S-000050,Old Account,Pat Lee,pat@example.com,,,Alex Admin,Home 25,plee,10.20.0.17,,,2026-01-01,,Active,',
  // No service columns filled: a subscription without a service.
  ',Bare,Kim Bare,kim@example.com,+1 555 0199,,Alex Admin,,,,,,,,Active,',
  // Shares the stored customer's contact by name and phone.
  ',Second Site,Stored Customer,,+1 555 0000,,Alex Admin,Home 25,second,,,,2026-02-01,,Active,',
];

let a: TestBackend;
let b: TestBackend;
beforeEach(async () => {
  time = '2026-05-04T10:00:00.000Z';
  [a, b] = [await seeded(), await seeded()];
});
afterEach(async () => {
  await a.close();
  await b.close();
});

describe('the bulk import path', () => {
  it('writes exactly what the one-by-one procedures write: rows, history, addresses, outbox and search', async () => {
    const file = csv('customers.csv', [HEADER, ...ROWS].join('\n'));
    // Keyed by Unique ID, new rows take the bulk path; keyed by Name, every row goes through the procedures.
    const bulk = await a.call('imports.apply', { kind: 'subscriptions', file });
    const oneByOne = await b.call('imports.apply', { kind: 'subscriptions', file, keyColumn: 'Name' });
    expect(bulk).toMatchObject({ rows: ROWS.length, creates: ROWS.length, errorCount: 0, applied: true });
    expect(oneByOne).toMatchObject({ rows: ROWS.length, creates: ROWS.length, errorCount: 0, applied: true });
    const [bulkTables, procedureTables] = [await tables(a), await tables(b)];
    expect(bulkTables).toEqual(procedureTables);
    // And what that is, in a few words.
    expect(bulkTables.contacts).toHaveLength(5);
    expect(bulkTables.organizations).toHaveLength(1);
    expect(bulkTables.network_outbox!.length).toBeGreaterThan(0);
    const subs = bulkTables.subscriptions as { unique_id: string; name: string; created_at: string }[];
    expect(subs.map((s) => s.unique_id)).toEqual(['S-000001', 'S-000002', 'S-000003', 'S-000004', 'S-000050', 'S-000051', 'S-000052']);
    expect(subs[1]!.created_at).toBe('2020-02-01T00:00:00.000Z');
    const services = bulkTables.services as { login: string; status: string; stopped_by_subscription: number }[];
    expect(services.find((s) => s.login === 'mvd')).toMatchObject({ status: 'Stopped', stopped_by_subscription: 1 });
    expect((await a.call('subscriptions.list', { query: 'jsmith' })).total).toBe(0);
    expect((await a.call('subscriptions.list', { query: 'Acme Warehouse' })).total).toBe(1);
  });

  it('writes rows that update stored subscriptions between new ones, each seeing the rows above it', async () => {
    const [stored] = (await a.call('subscriptions.list', {})).rows;
    const file = csv(
      'mixed.csv',
      [
        'Unique ID,Customer,E-Mail,Assigned to,Tariff,PPPoE user,IP address,Start date',
        ',New One,one@example.com,Alex Admin,Home 25,one,10.20.0.30,2026-01-01',
        `${stored!.uniqueId},Stored Customer,,Alex Admin,Home 25,stored,10.20.0.31,2026-01-01`,
        ',New Two,one@example.com,Alex Admin,Home 25,two,10.20.0.32,2026-01-01',
      ].join('\n'),
    );
    expect(await a.call('imports.apply', { kind: 'subscriptions', file })).toMatchObject({ creates: 2, updates: 1, errorCount: 0, applied: true });
    const list = await a.call('subscriptions.list', { sortBy: 'uniqueId' });
    expect(list.total).toBe(3);
    // "New Two" shares New One's contact (same e-mail), created in the batch before the update row.
    expect(new Set(list.rows.filter((r) => r.uniqueId !== stored!.uniqueId).map((r) => r.contactId)).size).toBe(1);
    const logins = await sql<{ login: string; address: string | null }>`select s.login, a.address from services s left join ip_allocations a on a.service_id = s.id order by s.id`.execute(a.backend.datastore.db);
    expect(logins.rows).toEqual([
      { login: 'one', address: '10.20.0.30' },
      { login: 'stored', address: '10.20.0.31' },
      { login: 'two', address: '10.20.0.32' },
    ]);
  });

  it('gives each subscription the name sort key the datastore would work out, accents and capitals included', async () => {
    const file = csv(
      'names.csv',
      [
        'Name,Customer,Assigned to',
        // Named after the contact: sorts by family name; SQLite lowers ASCII letters only.
        'Émile ZOLA,Émile ZOLA,Alex Admin',
        'ACME Élan – Site 3,Ünal Øre,Alex Admin',
        // Left out: named after the contact.
        ',Anna Berg,Alex Admin',
        // Nearly the contact's name, but not quite: sorts as written.
        'Anna  Berg,Anna Berg,Alex Admin',
      ].join('\n'),
    );
    await a.call('imports.apply', { kind: 'subscriptions', file });
    await b.call('imports.apply', { kind: 'subscriptions', file, keyColumn: 'Name' });
    const keys = (t: TestBackend) => t.backend.datastore.db.selectFrom('subscriptions').select(['unique_id', 'name', 'name_sort_key']).orderBy('id').execute();
    const bulk = await keys(a);
    expect(bulk).toEqual(await keys(b));
    expect(bulk.map((s) => s.name_sort_key)).toEqual(['customer stored', 'zola Émile', 'acme Élan – site 3', 'berg anna', 'anna  berg']);
  });

  it('names the stored holder of a login or address the way the form does, and writes nothing', async () => {
    await a.call('imports.apply', { kind: 'subscriptions', file: csv('first.csv', 'Customer,Assigned to,Tariff,PPPoE user,IP address,Start date\nFirst One,Alex Admin,Home 25,First,10.20.0.40,2026-01-01') });
    const before = await tables(a);
    const report = await a.call('imports.apply', {
      kind: 'subscriptions',
      file: csv('second.csv', 'Customer,Assigned to,Tariff,PPPoE user,IP address,Start date\nOther One,Alex Admin,Home 25,first,10.20.0.41,2026-01-01\nThird One,Alex Admin,Home 25,third,10.20.0.40,2026-01-01\nFourth One,Alex Admin,Home 25,fourth,10.20.0.1,2026-01-01'),
    });
    expect(report.applied).toBe(false);
    expect(report.errors).toEqual([
      { row: 2, column: 'PPPoE user', message: expect.stringMatching(/^Login "first" is already used by a service of S-\d{6} \(as "First"; letters are compared regardless of case\)$/) },
      { row: 3, column: 'IP address', message: expect.stringMatching(/^10\.20\.0\.40 is already taken by service "Home 25" of S-\d{6}$/) },
      { row: 4, column: 'IP address', message: '10.20.0.1 is the gateway of 10.20.0.0/24' },
    ]);
    expect(await tables(a)).toEqual(before);
  });
});

/** Rows changed on the datastore's connection so far, rolled back or not (SQLite's own count). */
async function changes(t: TestBackend): Promise<number> {
  return (await sql<{ n: number }>`select total_changes() as n`.execute(t.backend.datastore.db)).rows[0]!.n;
}

/** New subscribers with services: more than one batch of the bulk path. */
function newRows(n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return `,Site ${i},First${i} Last${i},user${i}@example.net,,,Alex Admin,Home 25,login${i},,,,2026-01-01,,Active,`;
  });
}

describe('the dry run of new subscriptions', () => {
  it('checks more than a batch of rows without writing a row, and reports what the apply then writes', async () => {
    const file = csv('many.csv', [HEADER, ...newRows(1500)].join('\n'));
    const before = await changes(a);
    const preview = await a.call('imports.preview', { kind: 'subscriptions', file });
    expect(await changes(a)).toBe(before);
    const applied = await a.call('imports.apply', { kind: 'subscriptions', file });
    expect(await changes(a)).toBeGreaterThan(before + 1500);
    expect({ ...preview, applied: true }).toEqual(applied);
  });

  it('words a login or address held in the datastore past the first batch as the apply does, still without writing', async () => {
    await a.call('imports.apply', { kind: 'subscriptions', file: csv('first.csv', 'Customer,Assigned to,Tariff,PPPoE user,IP address,Start date\nFirst One,Alex Admin,Home 25,held,10.20.0.40,2026-01-01') });
    const rows = newRows(1200);
    rows[1100] = ',Late Login,Late Login,late@example.net,,,Alex Admin,Home 25,HELD,,,,2026-01-01,,Active,';
    rows[1150] = ',Late Address,Late Address,addr@example.net,,,Alex Admin,Home 25,lateaddr,10.20.0.40,,,2026-01-01,,Active,';
    const file = csv('late.csv', [HEADER, ...rows].join('\n'));
    const before = await changes(a);
    const preview = await a.call('imports.preview', { kind: 'subscriptions', file });
    expect(await changes(a)).toBe(before);
    expect(preview.errors).toEqual([
      { row: 1102, column: 'PPPoE user', message: expect.stringMatching(/^Login "HELD" is already used by a service of S-\d{6} \(as "held"; letters are compared regardless of case\)$/) },
      { row: 1152, column: 'IP address', message: expect.stringMatching(/^10\.20\.0\.40 is already taken by service "Home 25" of S-\d{6}$/) },
    ]);
    expect(await a.call('imports.apply', { kind: 'subscriptions', file })).toEqual(preview);
  });

  it('starts over writing when a row past the first batch updates a subscription, and reports as the apply does', async () => {
    const [stored] = (await a.call('subscriptions.list', {})).rows;
    // The update's contact e-mail is a new row's: the update must see that contact written.
    const file = csv('mixed.csv', [HEADER, ...newRows(1100), `${stored!.uniqueId},Stored Customer,Stored Customer,user7@example.net,,,Alex Admin,Home 25,stored,10.20.0.31,,,2026-01-01,,Active,`].join('\n'));
    const preview = await a.call('imports.preview', { kind: 'subscriptions', file });
    expect(preview).toMatchObject({ rows: 1101, creates: 1100, updates: 1, errorCount: 0, applied: false });
    expect((await a.call('subscriptions.list', {})).total).toBe(1);
    expect(await a.call('imports.apply', { kind: 'subscriptions', file })).toEqual({ ...preview, applied: true });
  });
});

describe('an apply after its dry run', () => {
  const file = csv('customers.csv', [HEADER, ...ROWS].join('\n'));

  it('writes the rows the dry run checked, stamped by the apply, exactly as an apply alone writes them', async () => {
    const reused = dryRunReuse.applies;
    const preview = await a.call('imports.preview', { kind: 'subscriptions', file });
    expect(preview).toMatchObject({ creates: ROWS.length, errorCount: 0, applied: false });
    time = '2026-05-04T10:07:00.000Z';
    const applied = await a.call('imports.apply', { kind: 'subscriptions', file });
    expect(dryRunReuse.applies).toBe(reused + 1);
    const alone = await b.call('imports.apply', { kind: 'subscriptions', file });
    expect(dryRunReuse.applies).toBe(reused + 1);
    expect(applied).toEqual({ ...preview, applied: true });
    expect(applied).toEqual(alone);
    expect(await tables(a)).toEqual(await tables(b));
    const acme = (await a.call('subscriptions.list', { query: 'Acme Office' })).rows[0]!;
    expect((await a.call('subscriptions.get', { id: acme.id })).updatedAt).toBe('2026-05-04T10:07:00.000Z');
  });

  it('reads and checks the file again when anything was written in between, and reports what that changed', async () => {
    const reused = dryRunReuse.applies;
    expect(await a.call('imports.preview', { kind: 'subscriptions', file })).toMatchObject({ errorCount: 0 });
    const stored = await makeService(a, { login: 'jsmith' });
    const report = await a.call('imports.apply', { kind: 'subscriptions', file });
    expect(dryRunReuse.applies).toBe(reused);
    expect(report.applied).toBe(false);
    expect(report.errors).toEqual([{ row: 2, column: 'PPPoE user', message: expect.stringContaining('jsmith') }]);
    expect((await a.call('subscriptions.list', {})).total).toBe(2);
    expect(stored.login).toBe('jsmith');
  });

  it('keeps a file of up to KEEP_ROWS rows for its apply, and reads a longer one again', async () => {
    for (const n of [KEEP_ROWS, KEEP_ROWS + 1]) {
      const t = n === KEEP_ROWS ? a : b;
      const long = csv('long.csv', [HEADER, ...newRows(n)].join('\n'));
      const reused = dryRunReuse.applies;
      expect(await t.call('imports.preview', { kind: 'subscriptions', file: long })).toMatchObject({ creates: n, errorCount: 0 });
      expect(await t.call('imports.apply', { kind: 'subscriptions', file: long })).toMatchObject({ creates: n, applied: true });
      expect(dryRunReuse.applies).toBe(n === KEEP_ROWS ? reused + 1 : reused);
      expect((await t.call('subscriptions.list', {})).total).toBe(n + 1);
    }
  }, 60_000);

  it('checks afresh an apply of another file, or of the same file keyed another way', async () => {
    const reused = dryRunReuse.applies;
    await a.call('imports.preview', { kind: 'subscriptions', file });
    const other = csv('customers.csv', [HEADER, ...ROWS.slice(0, 3)].join('\n'));
    expect(await a.call('imports.apply', { kind: 'subscriptions', file: other })).toMatchObject({ creates: 3, applied: true });
    await b.call('imports.preview', { kind: 'subscriptions', file });
    expect(await b.call('imports.apply', { kind: 'subscriptions', file, keyColumn: 'Name' })).toMatchObject({ creates: ROWS.length, applied: true });
    expect(dryRunReuse.applies).toBe(reused);
  });
});
