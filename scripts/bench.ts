import type { Benchmark, Figure } from '../electron/server/bench/harness';
import { subscriberBenchmarks } from '../electron/server/subscribers/subscribers.bench';
import { billingBenchmarks } from '../electron/server/billing/billing.bench';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one.
 * Figures are printed as they come and repeated at the end as one JSON line each.
 */
const all: Benchmark[] = [subscriberBenchmarks, billingBenchmarks];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = wanted.length ? all.filter((b) => wanted.includes(b.name)) : all;
if (chosen.length === 0) {
  console.error(`No benchmark named ${wanted.join(', ')}. Known: ${all.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const figures: Figure[] = [];
for (const bench of chosen) {
  console.log(`# ${bench.name}: ${bench.describe}`);
  const results = await bench.run((line) => console.log(`  ${line}`));
  for (const f of results) console.log(`  ${f.bench}: ${Object.entries(f).filter(([k]) => k !== 'bench').map(([k, v]) => `${k}=${v}`).join(' ')}`);
  figures.push(...results);
}
for (const f of figures) console.log(JSON.stringify(f));
