import { existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { createBackend } from '../../electron/server/backend';
import { seedBillingData } from './seed';
import { startBillingRun } from '../../electron/server/billing/run';

const seedDir = '/tmp/h3prof/seed20k';
if (!existsSync(seedDir)) {
  const b = await createBackend({ dataDir: seedDir });
  await seedBillingData(b.datastore.db, 20000, '2026-11-14' as never);
  await b.datastore.db.updateTable('billing_settings').set({ billing_start_date: '2026-10-01' }).execute();
  await sql`analyze`.execute(b.datastore.db);
  await b.close();
  console.log('seeded');
  process.exit(0);
}
const dir = '/tmp/h3prof/run';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
copyFileSync(`${seedDir}/towerline.sqlite`, `${dir}/towerline.sqlite`);
copyFileSync(`${seedDir}/secret.key`, `${dir}/secret.key`);
const b = await createBackend({ dataDir: dir });
const db = b.datastore.db;
for (const asOf of ['2026-10-14', '2026-11-14', '2026-11-14']) {
  const t = Date.now(); const c0 = process.cpuUsage();
  const r = await (await startBillingRun(db, { asOf: asOf as never, actorName: 'x', now: () => new Date(), batchSize: Number(process.env.BATCH ?? 1000) })).finished;
  const c1 = process.cpuUsage(c0); console.log('run', asOf, Date.now() - t, 'ms wall', Math.round((c1.user + c1.system) / 1000), 'ms cpu', r.chargesCreated, 'charges', r.invoicesCreated, 'invoices');
}
await b.close();
