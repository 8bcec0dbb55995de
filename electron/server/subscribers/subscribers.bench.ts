import { sql } from 'kysely';
import type { Benchmark, Figure } from '../bench/harness';
import { measure } from '../bench/harness';
import { benchBackend } from '../bench/fixture';
import { seededRandom } from '../demo/random';
import { FIRST_NAMES, LAST_NAMES } from '../demo/names';

const N = 100_000;

/** Quick search and the subscription list through the API handler, as the UI calls them. */
export const subscriberBenchmarks: Benchmark = {
  name: 'subscribers',
  figures: ['search.quick', 'subscriptions.list', 'dashboard.summary'],
  describe: `search.quick and subscriptions.list over ${N.toLocaleString('en-US')} subscriptions`,
  async run(log) {
    const { backend, close } = await benchBackend(N, log);
    const rng = seededRandom(7);
    const call = async (procedure: string, input: unknown) => {
      const r = await backend.call(procedure, input);
      if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
    };
    try {
      // What staff type: partial names, unique IDs, phone fragments, one to three words.
      const queries = Array.from({ length: 400 }, (_, i) => {
        switch (i % 5) {
          case 0: return rng.pick(LAST_NAMES).slice(0, rng.int(2, 6));
          case 1: return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES).slice(0, 3)}`;
          case 2: return `S-${String(rng.int(1, N)).padStart(6, '0')}`;
          case 3: return `${rng.int(200, 989)}-${rng.int(10, 99)}`;
          default: return rng.pick(FIRST_NAMES).slice(0, 1);
        }
      });
      const figures: Figure[] = [];
      figures.push(await measure('search.quick', N, queries.length, (i) => call('search.quick', { query: queries[i % queries.length]!, limit: 10 })));
      // Find anything: each kind measured beside the name search above, with values from the data.
      const db = backend.datastore.db;
      const sample = async (column: string, table: string) =>
        (await sql<{ v: string }>`select ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} is not null and ${sql.ref(column)} <> '' order by random() limit 200`.execute(db)).rows.map((r) => r.v);
      const kinds: [string, string[]][] = [
        ['organization', (await sample('name', 'organizations')).map((n) => n.split(' ').slice(0, 2).join(' '))],
        ['login', await sample('login', 'services')],
        ['ip', await sample('ipv4_address', 'services')],
        ['mac', (await sample('mac_addresses', 'services')).map((m) => m.slice(0, 17).replace(/:/g, '-').toLowerCase())],
        ['serial', await sample('serial', 'devices')],
        ['voucher', await sample('login', 'hotspot_users')],
        ['invoice', await sample('number', 'invoices')],
      ];
      for (const [kind, values] of kinds) {
        if (values.length === 0) {
          log(`search.quick.${kind}: no ${kind} values in the generated data, skipped`);
          continue;
        }
        figures.push(await measure(`search.quick.${kind}`, N, 200, (i) => call('search.quick', { query: values[i % values.length]!, limit: 10 })));
      }
      const sorts = ['uniqueId', 'name', 'status', 'contactName', 'engineerName', 'createdAt'] as const;
      const statuses = [undefined, 'Active', 'Suspended', 'Cancelled'] as const;
      figures.push(
        await measure('subscriptions.list', N, 300, (i) =>
          call('subscriptions.list', {
            sortBy: sorts[i % sorts.length],
            sortDirection: i % 2 ? 'desc' : 'asc',
            status: statuses[i % statuses.length],
            engineerId: i % 7 === 0 ? 1 : undefined,
            query: i % 10 === 0 ? rng.pick(LAST_NAMES).slice(0, 4) : undefined,
            page: rng.int(1, 40),
            pageSize: 50,
          }),
        ),
      );
      figures.push(await measure('dashboard.summary', N, 30, () => call('dashboard.summary', {})));
      return figures;
    } finally {
      await close();
    }
  },
};
