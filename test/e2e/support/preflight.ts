import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, rendererDir } from './app';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A copy of out/renderer taken at the start of the run. */
    rendererSnapshot: string;
  }
}

/**
 * Vitest global setup. Without a browser or a built renderer the suite would prove nothing, so the
 * run stops here with the reason rather than reporting skipped tests. The built renderer is copied
 * once: a rebuild started meanwhile (it empties out/renderer first) cannot pull files from under
 * a running test.
 */
export default function preflight(project: TestProject): () => void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium not found at ${CHROMIUM}: install the Debian package "chromium" (or set TOWERLINE_CHROMIUM).`);
  if (!existsSync(join(rendererDir, 'index.html'))) missing.push(`No built renderer in ${rendererDir}: run \`npm run build:renderer\` first.`);
  if (missing.length) throw new Error(`The end-to-end tests cannot run:\n  ${missing.join('\n  ')}`);

  const snapshot = mkdtempSync(join(tmpdir(), 'towerline-e2e-renderer-'));
  cpSync(rendererDir, snapshot, { recursive: true });
  project.provide('rendererSnapshot', snapshot);
  return () => rmSync(snapshot, { recursive: true, force: true });
}
