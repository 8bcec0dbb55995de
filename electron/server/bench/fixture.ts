import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, createBackend } from '../backend';
import { generateDemo } from '../demo/generate';

/** A back end holding `subscribers` generated subscriptions in a temp directory, removed on close. */
export async function benchBackend(subscribers: number, log: (line: string) => void): Promise<{ backend: Backend; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'towerline-bench-'));
  const backend = await createBackend({ dataDir });
  const start = Date.now();
  await generateDemo(backend.datastore.db, { subscribers, today: new Date('2026-11-01T12:00:00Z') });
  log(`generated ${subscribers.toLocaleString('en-US')} subscribers in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return {
    backend,
    async close() {
      await backend.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
