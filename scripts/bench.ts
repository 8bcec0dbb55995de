import type { Benchmark, Figure } from '../electron/server/bench/harness';
import { subscriberBenchmarks } from '../electron/server/subscribers/subscribers.bench';
import { billingBenchmarks } from '../electron/server/billing/billing.bench';
import { routerOsBenchmarks } from '../electron/server/network/routeros/routeros.bench';
import { backupBenchmarks } from '../electron/server/backup/backup.bench';
import { exportBenchmark, importBenchmark } from '../electron/server/io/io.bench';
import { radiusBenchmarks } from '../electron/server/network/radius/radius.bench';
import { dunningBenchmarks } from '../electron/server/dunning/dunning.bench';
import { networkSyncBenchmarks } from '../electron/server/network/network-sync.bench';
import { freeradiusBenchmarks } from '../electron/server/network/freeradius/freeradius.bench';
import { usageBenchmarks } from '../electron/server/usage/usage.bench';
import { routerosPollBenchmarks } from '../electron/server/usage/routeros-poll.bench';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one.
 * Figures are printed as they come and repeated at the end as one JSON line each.
 */
const all: Benchmark[] = [subscriberBenchmarks, billingBenchmarks, routerOsBenchmarks, networkSyncBenchmarks, radiusBenchmarks, freeradiusBenchmarks, backupBenchmarks, importBenchmark, exportBenchmark, dunningBenchmarks, usageBenchmarks, routerosPollBenchmarks];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
/** A wanted name is a benchmark's name, a figure it declares, or a figure under its name (`billing.run`). */
const asks = (b: Benchmark, w: string) => w === b.name || !!b.figures?.includes(w) || w.startsWith(`${b.name}.`);
const chosen = wanted.length ? all.filter((b) => wanted.some((w) => asks(b, w))) : all;
if (chosen.length === 0) {
  console.error(`No benchmark named ${wanted.join(', ')}. Known: ${all.flatMap((b) => [b.name, ...(b.figures ?? [])]).join(', ')}`);
  process.exit(2);
}
/** Asked for by a figure's name: keep that figure (and its variants), not all the benchmark prints. */
const kept = (b: Benchmark, f: Figure) => wanted.length === 0 || wanted.includes(b.name) || wanted.some((w) => f.bench === w || f.bench.startsWith(`${w}.`));

const figures: Figure[] = [];
for (const bench of chosen) {
  console.log(`# ${bench.name}: ${bench.describe}`);
  const results = await bench.run((line) => console.log(`  ${line}`));
  const keep = results.filter((f) => kept(bench, f));
  for (const f of keep) console.log(`  ${f.bench}: ${Object.entries(f).filter(([k]) => k !== 'bench').map(([k, v]) => `${k}=${v}`).join(' ')}`);
  figures.push(...keep);
}
for (const f of figures) console.log(JSON.stringify(f));
