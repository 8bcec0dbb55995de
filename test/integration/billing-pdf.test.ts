import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, htmlToPdf } from '../../electron/server/billing/documents/pdf';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { plan, service, subscription, taxClass } from './billing-fixtures';

let t: TestBackend;
let out: string;
beforeEach(async () => {
  t = await testBackend({ now: () => new Date('2026-12-20T10:00:00Z') });
  out = mkdtempSync(join(tmpdir(), 'towerline-pdf-'));
});
afterEach(async () => {
  await t.close();
  rmSync(out, { recursive: true, force: true });
});

function pdfText(pdf: Buffer): string {
  const file = join(out, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe.skipIf(!existsSync(CHROMIUM_PATH) || !existsSync('/usr/bin/pdftotext'))('printing to PDF', () => {
  it('prints a statement with the ISP identity, amounts, balance and page numbers, and all statements of a month as one PDF', async () => {
    await t.call('billingSettings.update', { ispName: 'Pine Hollow Wireless', ispStreet: '118 Ridge Road', ispCity: 'Sandpoint', ispRegion: 'ID' });
    const tax = await taxClass(t, 'Sales tax', '10');
    const gold = await plan(t, { name: 'Gold 50/10', priceCents: 4500, taxClassId: tax });
    const subs = [await subscription(t, 1), await subscription(t, 1)];
    for (const sub of subs) await service(t, { subscriptionId: sub, planId: gold, startDate: '2026-11-14' });
    await t.call('billing.run', { date: '2026-12-01' });
    await t.call('invoices.closeAllOpen', { date: '2026-12-01' });
    await t.call('payments.record', { subscriptionId: subs[0]!, method: 'cheque', receivedDate: '2026-12-10', amountCents: 5000, reference: '1042' });

    const { html } = await t.call('statements.html', { subscriptionId: subs[0]!, from: '2026-12-01', to: '2026-12-31' });
    const screenshotPath = process.env.TOWERLINE_KEEP_PNG ?? join(out, 'statement.png');
    const text = pdfText(await htmlToPdf(html, { screenshotPath }));
    expect(text).toContain('Pine Hollow Wireless');
    expect(text).toContain('Statement');
    // 17/30 of $45.00 = $25.50 and December $45.00, plus 10% tax: $77.55; paid $50.00.
    expect(text).toContain('$77.55');
    expect(text).toContain('$50.00');
    // Due with the invoice of December 1 (15 days of terms), not on the day the statement ends.
    expect(text).toMatch(/Balance due on December 16, 2026\s+\$27\.55/);
    expect(text).toContain('Page 1 of 1');
    expect(existsSync(screenshotPath)).toBe(true);

    const batch = await t.call('statements.batchHtml', { from: '2026-12-01', to: '2026-12-31' });
    expect(batch.count).toBe(2);
    const all = pdfText(await htmlToPdf(batch.html));
    expect(all).toContain('Page 1 of 2');
    expect(all).toContain('Page 2 of 2');
    expect(all.match(/Opening balance/g)!.length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
