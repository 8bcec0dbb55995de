import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../shared/api/contract';
import { field } from './pages/forms';
import { type RunningApp, repoRoot, screenshotPath, startApp } from './support/app';

/** Vouchers on the Hotspot tab of an RV park: status and what is left, batch search, void, the printed sheet. */
let app: RunningApp;
let subscriptionId: number;
let batch: OutputOf<'vouchers.generateBatch'>;
const outputDir = join(repoRoot, 'test-output', 'hotspot');

beforeAll(async () => {
  app = await startApp();
  await app.t.call('billingSettings.update', { ispName: 'Pine Hollow Wireless' });
  await app.t.call('hotspotSettings.update', { ssid: 'Big Sky Marina Guest', loginAddress: 'login.wifi' });
  const engineer = await app.t.call('staff.create', { name: 'Priya Raman', role: 'Engineer' });
  const contact = await app.t.call('contacts.create', { firstName: 'June', lastName: 'Harlow' });
  subscriptionId = (await app.t.call('subscriptions.create', { contactId: contact.id, name: 'Big Sky Marina guest Wi-Fi', engineerId: engineer.id })).id;
  const plan = await app.t.call('hotspotPlans.create', { name: 'Hour pass', timeLimitMinutes: 60, dataLimitMb: 2048, downloadKbps: 10_000, uploadKbps: 2_000, validityDays: 1, priceCents: 300 });
  batch = await app.t.call('vouchers.generateBatch', { subscriptionId, hotspotPlanId: plan.id, count: 12, prefix: 'BSM' });
  // Two vouchers first used at the same moment: one has used its hour, the other 20 minutes.
  const db = app.t.backend.datastore.db;
  const firstUse = new Date(Date.now() - 2 * 3_600_000).toISOString();
  for (const [i, seconds] of [[0, 3600], [1, 1200]] as const) {
    const v = batch.vouchers[i]!;
    await db.insertInto('radius_sessions').values({ nas_address: '127.0.0.1', acct_session_id: `e2e-${i}`, login: v.login, hotspot_user_id: v.id, started_at: firstUse, updated_at: firstUse, session_seconds: seconds, input_bytes: 0, output_bytes: 0 }).execute();
    await db.updateTable('hotspot_users').set({ first_used_at: firstUse }).where('id', '=', v.id).execute();
  }
});
afterAll(async () => {
  await app?.close();
});

const rowOf = (code: string) => app.page.getByTestId('hotspot-row').filter({ hasText: code });

describe('the Hotspot tab', () => {
  it('shows each voucher\'s status, first use, expiry and time and data left by the one rule', async () => {
    await app.goto(`/subscriptions/${subscriptionId}/hotspot`);
    const used = rowOf(batch.vouchers[0]!.login);
    const partly = rowOf(batch.vouchers[1]!.login);
    await expect.poll(() => used.getByTestId('hotspot-status').textContent()).toBe('Expired');
    expect(await partly.getByTestId('hotspot-status').textContent()).toBe('Active');
    expect(await partly.getByTestId('hotspot-left').textContent()).toBe('40 min · 2 GB left');
    expect(await used.getByTestId('hotspot-left').textContent()).toBe('Time used up');
    // Same plan, same first use: the same expiry.
    const expiry = (row: ReturnType<typeof rowOf>) => row.locator('td').nth(4).textContent();
    expect(await expiry(used)).toBe(await expiry(partly));
    expect(await rowOf(batch.vouchers[5]!.login).textContent()).toContain('1 day from first use');
    expect(await used.textContent()).toContain('1 h · 2 GB');
    await app.page.screenshot({ path: screenshotPath('hotspot-voucher-status.png') });
  });

  it('finds a voucher within its batch by part of its code', async () => {
    await app.page.getByTestId('show-batch').first().click();
    await app.page.getByTestId('batch-filter').waitFor();
    const code = batch.vouchers[7]!.login;
    await app.page.getByTestId('hotspot-search').fill(code.slice(-4));
    await expect.poll(() => app.page.getByTestId('hotspot-row').count()).toBeLessThan(12);
    expect(await app.page.getByTestId('hotspot-row').filter({ hasText: code }).count()).toBe(1);
    await app.page.screenshot({ path: screenshotPath('hotspot-batch-search.png') });
    await app.page.getByTestId('hotspot-search').fill('');
    await expect.poll(() => app.page.getByTestId('hotspot-row').count()).toBe(12);
  });

  it('voids the batch: every voucher stays, shown Voided, and a toast says so', async () => {
    await app.page.getByTestId('void-batch').first().click();
    const modal = app.page.getByRole('dialog', { name: /Void batch/ });
    await field(modal, 'Reason').fill('Sheet left on the dock');
    await modal.getByTestId('void-batch-confirm').click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => app.page.getByText('Voucher batch voided').isVisible()).toBe(true);
    await expect.poll(async () => new Set(await app.page.getByTestId('hotspot-status').allTextContents())).toEqual(new Set(['Voided']));
    expect(await app.page.getByTestId('hotspot-row').count()).toBe(12);
    const history = await app.t.call('hotspotUsers.history', { id: batch.vouchers[3]!.id });
    expect(history[0]).toMatchObject({ toStatus: 'Voided', reason: `Batch ${batch.batchId} voided: Sheet left on the dock` });
    await app.page.screenshot({ path: screenshotPath('hotspot-batch-voided.png') });
  });
});

describe('the printed voucher sheet', () => {
  it('prints the cards with the Wi-Fi name and login steps, without the page\'s Back and Print buttons', async () => {
    await app.goto(`/vouchers/${batch.batchId}/print`);
    await expect.poll(() => app.page.getByTestId('voucher-card').count()).toBe(12);
    const card = app.page.getByTestId('voucher-card').first();
    expect(await card.textContent()).toContain('Big Sky Marina Guest');
    expect(await card.textContent()).toContain('login.wifi');
    expect(await app.page.getByTestId('print-toolbar').isVisible()).toBe(true);

    await app.page.emulateMedia({ media: 'print' });
    expect(await app.page.getByTestId('print-toolbar').isVisible()).toBe(false);
    await app.page.screenshot({ path: screenshotPath('voucher-sheet-printed.png'), fullPage: true });

    // The PDF is what the printer gets (print media).
    mkdirSync(outputDir, { recursive: true });
    const pdfPath = join(outputDir, 'voucher-sheet.pdf');
    rmSync(pdfPath, { force: true });
    await app.page.pdf({ path: pdfPath, printBackground: true });
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const v of batch.vouchers) expect(text).toContain(v.login);
    expect(text).toContain('Join the Wi-Fi network Big Sky');
    expect(text).not.toMatch(/Back to|Print or save|Save as PDF/);
    await app.page.emulateMedia({ media: null });
    expect(app.problems).toEqual([]);
  });
});
