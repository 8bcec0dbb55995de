import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../electron/server/demo/generate';
import { SubscriptionPage } from './pages/subscriptions';
import { type RunningApp, screenshotPath, startApp } from './support/app';

let app: RunningApp;

beforeAll(async () => {
  app = await startApp({ askWhoIsWorking: true });
  // Billed up to a month ago, so aging, invoices and runs have something to show.
  const monthAgo = new Date(Date.now() - 30 * 86_400_000);
  await generateDemo(app.t.backend.datastore.db, { subscribers: 120, today: monthAgo });
});
afterAll(async () => {
  await app?.close();
});

/** What the keyboard is on: its test id, role and text, read in the page. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { testId: el?.getAttribute('data-testid') ?? null, role: el?.getAttribute('role') ?? null, text: el?.textContent ?? '', uniqueId: el?.getAttribute('data-unique-id') ?? null };
  });
}

/** Presses Tab until `done` holds for the focused element, as a keyboard user would; fails after `limit` presses. */
async function tabUntil(page: Page, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (done(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach the element within ${limit} presses (on ${JSON.stringify(await focused(page))})`);
}

/**
 * Whether an element and everything in it fit: no text cut short (an ellipsis is a cut) and no box
 * reaching outside `container` (or the element itself), sideways or below.
 */
async function fits(el: Locator, container?: Locator): Promise<boolean> {
  return (await overflowing(el, container)).length === 0;
}

/** The elements in `el` (itself included) that are cut short or reach outside `container`, described. */
async function overflowing(el: Locator, container?: Locator): Promise<string[]> {
  return el.evaluate((node, box) => {
    const c = ((box as Element | null) ?? node).getBoundingClientRect();
    return [node, ...Array.from(node.querySelectorAll('*'))].flatMap((e) => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return [];
      const style = getComputedStyle(e);
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      const whole = e.scrollWidth <= e.clientWidth + 1 || scrolls;
      const inside = r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.bottom <= c.bottom + 0.5;
      return whole && inside ? [] : [`${e.tagName.toLowerCase()}.${e.className} "${(e.textContent ?? '').slice(0, 30)}" ${whole ? '' : 'cut'} ${inside ? '' : 'outside'}`];
    });
  }, container ? await container.elementHandle() : null);
}

describe('who is working', () => {
  it('asks once at start, remembers the answer on this computer and names them in the history', async () => {
    await app.goto('/subscriptions');
    const ask = app.page.getByRole('dialog', { name: 'Who is working at this computer?' });
    await expect.poll(() => ask.isVisible()).toBe(true);
    await app.page.screenshot({ path: screenshotPath('who-is-working.png') });
    await ask.getByTestId('who-is-working-choice').filter({ hasText: 'Luis Ortega' }).click();
    await expect.poll(() => ask.isVisible()).toBe(false);
    await expect.poll(() => app.page.getByTestId('working-as').inputValue()).toBe('Luis Ortega');

    // Started again on this computer: no question, the same person.
    await app.goto('/subscriptions');
    await expect.poll(() => app.page.getByTestId('subscription-row').count()).toBeGreaterThan(0);
    await expect.poll(() => app.page.getByTestId('working-as').inputValue()).toBe('Luis Ortega');
    expect(await ask.count()).toBe(0);

    const first = (await app.t.call('subscriptions.list', { status: 'Active', pageSize: 1 })).rows[0]!;
    await app.goto(`/subscriptions/${first.id}/summary`);
    const sub = new SubscriptionPage(app.page);
    await sub.changeStatus('Suspended', 'Asked to pause for the winter');
    await expect.poll(() => sub.history.first().textContent()).toContain('Luis Ortega');
    expect(await sub.history.first().textContent()).toContain('Asked to pause for the winter');
  });
});

describe('lists with the keyboard', () => {
  it('moves between rows with the arrows, Home, End and the page keys, and opens one with Enter', async () => {
    await app.goto('/subscriptions?sort=name');
    const rows = app.page.getByTestId('subscription-row');
    await expect.poll(() => rows.count()).toBe(50);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-unique-id')));
    await app.page.getByLabel('Search subscriptions').focus();

    const at = async () => (await focused(app.page)).uniqueId;
    await app.page.keyboard.press('ArrowDown');
    expect(await at()).toBe(ids[0]);
    await app.page.keyboard.press('ArrowDown');
    expect(await at()).toBe(ids[1]);
    await app.page.keyboard.press('End');
    expect(await at()).toBe(ids[49]);
    await app.page.keyboard.press('PageUp');
    expect(await at()).toBe(ids[39]);
    await app.page.keyboard.press('Home');
    expect(await at()).toBe(ids[0]);
    await app.page.keyboard.press('PageDown');
    expect(await at()).toBe(ids[10]);
    await app.page.keyboard.press('ArrowUp');
    expect(await at()).toBe(ids[9]);
    await app.page.screenshot({ path: screenshotPath('list-keyboard-row.png') });
    await app.page.keyboard.press('Enter');
    const opened = (await app.t.call('subscriptions.list', { query: ids[9]! })).rows[0]!;
    await expect.poll(() => app.page.url()).toContain(`#/subscriptions/${opened.id}/summary`);
  });

  it('does the same in every list built on the shared table, the contacts for one', async () => {
    await app.goto('/contacts');
    const rows = app.page.getByTestId('contact-row');
    await expect.poll(() => rows.count()).toBe(50);
    await app.page.getByLabel('Search contacts').focus();
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowDown');
    expect((await focused(app.page)).testId).toBe('contact-row');
    const name = await rows.nth(1).locator('td').first().textContent();
    await app.page.keyboard.press('Enter');
    const modal = app.page.getByRole('dialog');
    await expect.poll(() => modal.isVisible()).toBe(true);
    expect(`${await modal.getByLabel('First name').inputValue()} ${await modal.getByLabel('Last name').inputValue()}`).toBe(name);
    await app.page.keyboard.press('Escape');
  });
});

describe('keyboard only', () => {
  it('finds a subscriber with Ctrl+K, opens it, moves through its tabs and records a payment', async () => {
    const target = (await app.t.call('subscriptions.list', { status: 'Active', sortBy: 'uniqueId', sortDirection: 'desc', pageSize: 1 })).rows[0]!;
    await app.goto('/subscriptions');
    await expect.poll(() => app.page.getByTestId('subscription-row').count()).toBeGreaterThan(0);
    const page = app.page;

    await page.keyboard.press('Control+K');
    await page.getByTestId('quick-search-input').waitFor();
    await page.keyboard.type(target.uniqueId);
    await expect.poll(() => page.getByTestId('quick-search-hit').first().getAttribute('data-unique-id')).toBe(target.uniqueId);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain(`#/subscriptions/${target.id}`);

    const sub = new SubscriptionPage(page);
    // Tab from the loaded page: while the list is still on screen its rows alone are 50 stops.
    await expect.poll(() => sub.tab('Summary').getAttribute('aria-selected')).toBe('true');
    await tabUntil(page, (f) => f.role === 'tab', 120);
    for (const name of ['Details', 'Services', 'Hotspot', 'Devices', 'Billing'] as const) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => sub.tab(name).getAttribute('aria-selected')).toBe('true');
    }
    await expect.poll(() => page.url()).toContain(`#/subscriptions/${target.id}/billing`);

    await tabUntil(page, (f) => f.testId === 'record-payment');
    await page.keyboard.press('Enter');
    const modal = page.getByRole('dialog', { name: 'Record payment' });
    await expect.poll(() => modal.isVisible()).toBe(true);
    expect(await modal.getByLabel('Amount').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('12.34');
    await page.keyboard.press('Enter');
    await expect.poll(() => modal.isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('payment-row').filter({ hasText: '12.34' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('keyboard-only-payment.png') });
    const payments = await app.t.call('payments.listBySubscription', { subscriptionId: target.id });
    expect(payments.some((p) => p.amountCents === 1234)).toBe(true);
  });
});

describe('dark mode', () => {
  const MAIN_PAGES = [
    ['subscriptions', '/subscriptions'],
    ['subscription', null],
    ['contacts', '/contacts'],
    ['organizations', '/organizations'],
    ['staff', '/staff'],
    ['billing-runs', '/billing/runs'],
    ['billing-invoices', '/billing/invoices'],
    ['billing-aging', '/billing/aging'],
    ['billing-settings', '/billing/settings'],
    ['plans', '/catalog/plans'],
    ['packages', '/catalog/packages'],
    ['hotspot-plans', '/catalog/hotspot-plans'],
    ['tax-classes', '/catalog/tax-classes'],
    ['ip-networks', '/network/ip-networks'],
    ['routers', '/network/routers'],
    ['network-status', '/network/status'],
  ] as const;

  /** Relative luminance of a CSS rgb() color, 0 (black) to 1 (white). */
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };

  it('follows the operating system, with every main page dark and readable', async () => {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    const first = (await app.t.call('subscriptions.list', { pageSize: 1 })).rows[0]!;
    for (const [name, route] of MAIN_PAGES) {
      await app.goto(route ?? `/subscriptions/${first.id}/summary`);
      await app.page.getByTestId('page-title').first().waitFor();
      await app.page.waitForLoadState('networkidle');
      expect(await app.page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
      const colors = await app.page.evaluate(() => {
        const main = document.querySelector('main')!;
        const title = document.querySelector('[data-testid="page-title"]')!;
        return { main: getComputedStyle(main).backgroundColor, title: getComputedStyle(title).color, header: getComputedStyle(document.querySelector('header')!).backgroundColor };
      });
      expect(luminance(colors.main), `${name}: the page background is dark`).toBeLessThan(0.05);
      expect(luminance(colors.header), `${name}: the header is dark`).toBeLessThan(0.05);
      // WCAG AA contrast for text (4.5:1) between the title and the page behind it.
      const contrast = (luminance(colors.title) + 0.05) / (luminance(colors.main) + 0.05);
      expect(contrast, `${name}: the title reads clearly on the page`).toBeGreaterThan(4.5);
      await app.page.screenshot({ path: screenshotPath(`dark-${name}.png`) });
    }
  });

  it('lets staff choose light or dark whatever the system says, and remembers it', async () => {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.goto('/subscriptions');
    const scheme = () => app.page.locator('html').getAttribute('data-mantine-color-scheme');
    await expect.poll(scheme).toBe('dark');
    await app.page.getByTestId('color-scheme-switch').click();
    await app.page.getByTestId('color-scheme-light').click();
    await expect.poll(scheme).toBe('light');
    await app.goto('/contacts');
    await expect.poll(scheme).toBe('light');
    await app.page.getByTestId('color-scheme-switch').click();
    await app.page.screenshot({ path: screenshotPath('color-scheme-switch.png') });
    await app.page.getByTestId('color-scheme-auto').click();
    await expect.poll(scheme).toBe('dark');
    await app.page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(scheme).toBe('light');
  });
});

describe('polish', () => {
  it('fits an empty package\'s Contracts and Profile questions boxes in their cards, headers whole', async () => {
    const pkg = await app.t.call('packages.create', { name: 'Marina slip, seasonal' });
    await app.page.setViewportSize({ width: 1440, height: 900 });
    const card = (title: string) => app.page.locator('.mantine-Paper-root', { has: app.page.getByText(title, { exact: true }) }).last();
    await app.goto(`/catalog/packages/${pkg.id}`);
    for (const title of ['Contracts', 'Profile questions']) {
      await expect.poll(() => card(title).textContent()).toContain('No ');
      expect(await overflowing(card(title)), `${title}: nothing sticks out of the card`).toEqual([]);
    }
    await app.page.screenshot({ path: screenshotPath('package-empty-sections.png') });

    await app.t.call('packages.addQuestion', { packageId: pkg.id, label: 'Slip number', required: true });
    await app.goto(`/catalog/packages/${pkg.id}`);
    await expect.poll(() => card('Profile questions').locator('tbody tr').count()).toBe(1);
    expect(await overflowing(card('Profile questions')), 'Profile questions: headers and cells whole').toEqual([]);
    await app.page.screenshot({ path: screenshotPath('package-question-required.png') });
    await app.page.setViewportSize({ width: 1366, height: 860 });
  });

  it('keeps every Aging amount whole at 1024 px', async () => {
    await app.page.setViewportSize({ width: 1024, height: 768 });
    await app.goto('/billing/aging');
    const totals = app.page.getByTestId('aging-totals');
    await expect.poll(() => totals.textContent()).not.toContain('…');
    for (const card of await totals.locator('.mantine-Paper-root').all()) {
      const amount = card.locator('p').nth(1);
      expect(await fits(amount, card), `amount ${await amount.textContent()} fits its card`).toBe(true);
    }
    await app.page.screenshot({ path: screenshotPath('aging-1024.png') });
    await app.page.setViewportSize({ width: 1366, height: 860 });
  });

  it('shows every column of the widest lists on a 1366-pixel screen, headers and badges whole, without scrolling sideways', async () => {
    for (const route of ['/catalog/plans', '/network/routers', '/billing/aging', '/subscriptions', '/billing/invoices']) {
      await app.goto(route);
      const table = app.page.locator('.mantine-datatable').first();
      await expect.poll(() => table.locator('tbody tr').count(), { message: route }).toBeGreaterThan(0);
      const viewport = table.locator('.mantine-ScrollArea-viewport').first();
      const { scrollWidth, clientWidth } = await viewport.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
      expect(scrollWidth, `${route} scrolls sideways`).toBeLessThanOrEqual(clientWidth + 1);
      expect(await overflowing(table.locator('thead'), viewport), `${route} headers`).toEqual([]);
      for (const badge of await table.locator('tbody tr').first().locator('.mantine-Badge-root').all()) {
        expect(await overflowing(badge, viewport), `${route} badge`).toEqual([]);
      }
      await app.page.screenshot({ path: screenshotPath(`fits-1366${route.replaceAll('/', '-')}.png`) });
    }
  });

  it('says "Rows per page" on the IP network page, like every list', async () => {
    const network = (await app.t.call('ipNetworks.list', {})).rows[0]!;
    await app.goto(`/network/ip-networks/${network.id}`);
    await expect.poll(() => app.page.getByText('Rows per page').count()).toBe(1);
    expect(await app.page.getByText('Records per page').count()).toBe(0);
    await app.page.screenshot({ path: screenshotPath('ip-network-rows-per-page.png') });
  });

  it('shows how long the demo\'s billing runs took, never "0 ms"', async () => {
    await app.goto('/billing/runs');
    const rows = app.page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) {
      const took = (await row.locator('td').last().textContent())?.trim() ?? '';
      expect(took).toMatch(/^(\d+ ms|\d+\.\d s)$/);
      expect(took).not.toBe('0 ms');
    }
    await app.page.screenshot({ path: screenshotPath('billing-runs-took.png') });
  });

  it('keeps the Login field in line with its neighbours when it shows an error', async () => {
    const first = (await app.t.call('subscriptions.list', { status: 'Active', sortBy: 'uniqueId', pageSize: 1 })).rows[0]!;
    await app.goto(`/subscriptions/${first.id}/services`);
    const serviceRow = app.page.getByTestId('service-row').filter({ hasText: /Wireless|Fiber/ }).first();
    await serviceRow.waitFor();
    await serviceRow.click();
    const options = app.page.getByTestId('tariff-options');
    await options.waitFor();
    const login = options.getByLabel('Login');
    const password = options.getByLabel('Password', { exact: true });
    const top = (l: Locator) => l.evaluate((el) => Math.round(el.getBoundingClientRect().top));
    // Within a pixel: the password field's own frame sits a rounding off the others.
    expect(Math.abs((await top(login)) - (await top(password)))).toBeLessThanOrEqual(1);
    await login.fill('x'.repeat(101));
    await app.page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('[data-error]').count()).toBeGreaterThan(0);
    expect(Math.abs((await top(login)) - (await top(password)))).toBeLessThanOrEqual(1);
    // The row below too: a hint under its field, not above it, so the three inputs share a line.
    const routed = await top(options.getByLabel('Additional routed network'));
    expect(Math.abs((await top(options.getByLabel('MAC addresses'))) - routed)).toBeLessThanOrEqual(1);
    expect(Math.abs((await top(options.getByLabel('Port ID'))) - routed)).toBeLessThanOrEqual(1);
    await options.screenshot({ path: screenshotPath('login-error-in-line.png') });
    await app.page.keyboard.press('Escape');
  });

  it('reported no page errors on the way', () => {
    expect(app.problems).toEqual([]);
  });
});
