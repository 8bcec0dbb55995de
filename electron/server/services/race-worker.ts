/**
 * A second process for the login race test (services.test.ts): opens a back end on the given data
 * directory, waits until the agreed start instant, creates a service and prints the envelope.
 * Separate processes, because two writers on one thread can only ever block each other.
 */
import { createBackend } from '../backend';

async function main() {
  const [dataDir, startAt, input] = process.argv.slice(2) as [string, string, string];
  const backend = await createBackend({ dataDir });
  while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
  const envelope = await backend.call('services.create', JSON.parse(input));
  await backend.close();
  process.stdout.write(JSON.stringify(envelope));
}

void main();
