import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { inject } from 'vitest';
import { type RunningWebHost, startWebHost } from '../../../electron/host/web/server';
import { type TestBackend, testBackend } from '../../fixtures/backend';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const rendererDir = join(repoRoot, 'out', 'renderer');
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');
export const CHROMIUM = process.env.TOWERLINE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * One running app for a test file: a real back end on SQLite in a temp directory, the web host on
 * a free port serving the built renderer, and a fresh headless Chromium profile pointed at it.
 */
export interface RunningApp {
  t: TestBackend;
  host: RunningWebHost;
  context: BrowserContext;
  page: Page;
  /** Problems the page reported (uncaught errors, console errors, CSP violations). */
  problems: string[];
  /** Opens the app at a route (`/subscriptions`), with the access token in the address. */
  goto(route?: string): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  /**
   * Let the start-up question "Who is working at this computer?" appear. Off by default: a test
   * about something else answers it the way staff who skip it do ("Not now").
   */
  askWhoIsWorking?: boolean;
  /** The operating system's color scheme the browser reports (dark mode follows it). */
  colorScheme?: 'light' | 'dark';
}

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  // Fail loudly, never skip: a missing browser or build means the suite proved nothing.
  const staticDir = inject('rendererSnapshot');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install the Debian package "chromium" (or set TOWERLINE_CHROMIUM).`);
  if (!staticDir || !existsSync(join(staticDir, 'index.html'))) throw new Error(`No built renderer (expected a copy of ${rendererDir} from test/e2e/support/preflight.ts).`);

  const t = await testBackend();
  const token = `e2e-${Math.random().toString(36).slice(2)}`;
  const host = await startWebHost({ backend: t.backend, token, port: 0, staticDir });
  const profile = mkdtempSync(join(tmpdir(), 'towerline-e2e-profile-'));
  // A persistent context on a fresh profile directory: nothing carries over between files.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: options.colorScheme ?? 'light',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  context.setDefaultTimeout(15_000);
  if (!options.askWhoIsWorking) await context.addInitScript(() => window.sessionStorage.setItem('towerline.whoIsWorking.notNow', '1'));
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer; refusals the test provokes on purpose are not problems.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`console error: ${message.text()}`);
  });

  return {
    t,
    host,
    context,
    page,
    problems,
    async goto(route = '/subscriptions') {
      await page.goto(`${host.url}?token=${token}#${route}`);
    },
    async close() {
      await context.close().catch(() => undefined);
      await host.close();
      await t.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, name);
}
