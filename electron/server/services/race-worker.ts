/**
 * A second process for the login race test (services.test.ts): opens a back end on the given data
 * directory, says "ready", waits for "go" on stdin, creates a service and prints the envelope.
 * Separate processes, because two writers on one thread can only ever block each other.
 */
import { createBackend } from '../backend';

async function main() {
  const [dataDir, input] = process.argv.slice(2) as [string, string];
  const backend = await createBackend({ dataDir });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const envelope = await backend.call('services.create', JSON.parse(input));
  await backend.close();
  process.stdout.write(`${JSON.stringify(envelope)}\n`);
  process.exit(0);
}

void main();
