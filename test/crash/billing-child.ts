/**
 * The crash test's victim: bills a datastore in small batches and reports each committed batch on
 * stdout, so the parent can kill it (SIGKILL) at chosen or random points.
 * Usage: node --import tsx test/crash/billing-child.ts <dataDir> <asOf> <batchSize>
 */
import { createBackend } from '../../electron/server/backend';
import { startBillingRun } from '../../electron/server/billing/run';
import type { IsoDate } from '../../shared/domain/types';

const [dataDir, asOf, batch] = process.argv.slice(2);
if (!dataDir || !asOf || !batch) {
  console.error('usage: billing-child.ts <dataDir> <asOf> <batchSize>');
  process.exit(2);
}
const backend = await createBackend({ dataDir });
const { finished } = await startBillingRun(backend.datastore.db, {
  asOf: asOf as IsoDate,
  actorName: 'Crash test',
  now: () => new Date(`${asOf}T12:00:00Z`),
  batchSize: Number(batch),
  progress: (done, total) => process.stdout.write(`progress ${done} ${total}\n`),
});
process.stdout.write('started\n');
const run = await finished;
process.stdout.write(`finished ${JSON.stringify(run)}\n`);
await backend.close();
