/**
 * Prints invoices and statements to PDF from the command line, without Electron.
 *
 *   tsx scripts/export-pdf.ts --data <dataDir> invoice <invoiceId> <out.pdf>
 *   tsx scripts/export-pdf.ts --data <dataDir> statement <subscriptionId> <from> <to> <out.pdf>
 *   tsx scripts/export-pdf.ts --data <dataDir> statements <from> <to> <out.pdf>     (all, one PDF)
 *
 * Without --data, the desktop app's data directory is used. Chromium comes from /usr/bin/chromium
 * (or TOWERLINE_CHROMIUM).
 */
import { writeFileSync } from 'node:fs';
import { createBackend } from '../electron/server/backend';
import { htmlToPdf } from '../electron/server/billing/documents/pdf';
import { defaultDataDir } from '../electron/server/platform/data-dir';

const args = process.argv.slice(2);
const dataAt = args.indexOf('--data');
const dataDir = dataAt >= 0 ? args.splice(dataAt, 2)[1]! : defaultDataDir();
const [what, ...rest] = args;

function usage(): never {
  console.error('usage: export-pdf.ts [--data <dir>] invoice <id> <out.pdf> | statement <subscriptionId> <from> <to> <out.pdf> | statements <from> <to> <out.pdf>');
  process.exit(2);
}

const backend = await createBackend({ dataDir });
try {
  const call = async <T>(procedure: string, input: unknown): Promise<T> => {
    const r = await backend.call(procedure, input);
    if (!r.ok) throw new Error(`${procedure}: ${r.error.message}`);
    return r.value as T;
  };
  let html: string;
  let out: string | undefined;
  if (what === 'invoice' && rest.length === 2) {
    html = (await call<{ html: string }>('invoices.html', { id: Number(rest[0]) })).html;
    out = rest[1];
  } else if (what === 'statement' && rest.length === 4) {
    html = (await call<{ html: string }>('statements.html', { subscriptionId: Number(rest[0]), from: rest[1], to: rest[2] })).html;
    out = rest[3];
  } else if (what === 'statements' && rest.length === 3) {
    const batch = await call<{ html: string; count: number }>('statements.batchHtml', { from: rest[0], to: rest[1] });
    console.log(`${batch.count} statements`);
    html = batch.html;
    out = rest[2];
  } else {
    usage();
  }
  writeFileSync(out!, await htmlToPdf(html));
  console.log(`wrote ${out}`);
} finally {
  await backend.close();
}
