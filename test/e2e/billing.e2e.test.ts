import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cents, type CentsTotal, formatMoney } from '../../shared/domain/money';
import { addMonths } from '../../electron/server/billing/rules/dates';
import { BillingArea, PrintView, SubscriptionBilling, dismissNotifications } from './pages/billing';
import { Shell } from './pages/shell';
import { type BillingDemo, startBillingDemo } from './support/billing-demo';
import { repoRoot, screenshotPath } from './support/app';

const SUBSCRIBERS = 300;
const outputDir = join(repoRoot, 'test-output');
const pdfPath = join(outputDir, 'statement.pdf');

let demo: BillingDemo;
const usd = (amount: number | CentsTotal) => formatMoney(typeof amount === 'number' ? (amount as Cents) : amount, { currency: 'USD', minorDigits: 2 });

beforeAll(async () => {
  demo = await startBillingDemo(SUBSCRIBERS);
});
afterAll(async () => {
  await demo?.app.close();
});

/** Issue 4's path through the screens, in order: each step starts where the previous one left off. */
describe('billing demo subscribers, from the run to a printed statement', () => {
  let subscriptionId: number;
  /** The demo generator's own runs, billing its history up to a month ago. */
  let runsBefore: number;
  let paymentNumber: string;
  let creditMemoNumber: string;

  it('previews the run from the Billing area: the counts and totals per plan are what the back end would bill', async () => {
    const { app } = demo;
    runsBefore = (await app.t.call('billing.runs.list', {})).total;
    const billing = new BillingArea(app.page);
    await app.goto('/subscriptions');
    await billing.navLink.click();
    await app.page.waitForURL(/#\/billing\/runs$/);
    await billing.previewButton.click();
    await billing.preview.waitFor();

    const expected = await app.t.call('billing.preview', { date: demo.today });
    expect(expected.subscriptions).toBeGreaterThan(SUBSCRIBERS / 2);
    expect(await billing.previewFigure('subscriptions').textContent()).toBe(expected.subscriptions.toLocaleString('en-US'));
    expect(await billing.previewFigure('charges').textContent()).toBe(expected.charges.toLocaleString('en-US'));
    expect(await billing.previewFigure('total').textContent()).toBe(usd(expected.totalCents));
    expect(await billing.previewPlans.count()).toBe(expected.byPlan.length);
    // A preview writes nothing.
    expect((await app.t.call('billing.runs.list', {})).total).toBe(runsBefore);
  });

  it('asks before a run, with the preview\'s totals, then follows its progress over the API until it completes', async () => {
    const { app } = demo;
    const billing = new BillingArea(app.page);
    const expected = await app.t.call('billing.preview', { date: demo.today });
    await billing.runButton.click();
    await billing.confirmRun.waitFor();
    expect(await billing.confirmRun.getByTestId('confirm-subscriptions').textContent()).toBe(expected.subscriptions.toLocaleString('en-US'));
    expect(await billing.confirmRun.getByTestId('confirm-total').textContent()).toBe(usd(expected.totalCents));
    // Nothing runs until it is confirmed.
    expect((await app.t.call('billing.runs.list', {})).total).toBe(runsBefore);
    await app.page.screenshot({ path: screenshotPath('billing-run-confirm.png') });
    await app.page.getByTestId('confirm-start-run').click();
    await billing.progress.waitFor();
    await billing.finishedRun('completed').waitFor({ timeout: 60_000 });

    const runs = await app.t.call('billing.runs.list', {});
    expect(runs.total).toBe(runsBefore + 1);
    const run = runs.rows[0]!;
    expect(run.runDate).toBe(demo.today);
    expect(run.status).toBe('completed');
    expect(run.done).toBe(run.total);
    expect(run.chargesCreated).toBeGreaterThan(0);
    expect(await billing.runFigure('charges').textContent()).toBe(run.chargesCreated.toLocaleString('en-US'));
    expect(await billing.runFigure('invoices').textContent()).toBe(run.invoicesCreated.toLocaleString('en-US'));
    expect(await billing.runFigure('amount').textContent()).toBe(usd(run.amountCents));
    expect(await billing.progress.getByTestId('run-progress-count').textContent()).toBe(`${run.total.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} subscriptions`);
    await expect.poll(() => billing.historyRows.first().getAttribute('data-run-id')).toBe(String(run.id));
    await app.page.screenshot({ path: screenshotPath('billing-runs.png'), fullPage: true });
    expect(await billing.historyRows.first().getByTestId('run-status').getAttribute('data-status')).toBe('completed');
    // Run again for the same day: nothing new is billed.
    expect((await app.t.call('billing.preview', { date: demo.today })).charges).toBe(0);
  });

  it('issues the run\'s draft invoices from the Draft invoices tab, numbering them', async () => {
    const { app } = demo;
    const billing = new BillingArea(app.page);
    const shell = new Shell(app.page);
    await billing.tab('Draft invoices').click();
    await billing.openInvoiceRows.first().waitFor();
    const open = await app.t.call('invoices.listOpen', {});
    expect(open.total).toBeGreaterThan(0);
    await billing.closeAllOpenInvoices();
    await shell.notification('Invoices issued').waitFor();
    await expect.poll(() => billing.openInvoiceRows.count()).toBe(0);
    expect((await app.t.call('invoices.listOpen', {})).total).toBe(0);
  });

  it('lists who owes what in the aging report, and opens the largest debtor\'s Billing tab', async () => {
    const { app } = demo;
    const billing = new BillingArea(app.page);
    await billing.tab('Aging').click();
    await billing.agingRows.first().waitFor();
    const aging = await app.t.call('billing.aging', { asOf: demo.today, page: 1, pageSize: 25 });
    expect(aging.total).toBeGreaterThan(0);
    await expect.poll(() => billing.agingTotal.textContent()).toBe(usd(aging.totals.totalCents));
    const top = aging.rows[0]!;
    expect(await billing.agingRows.first().getAttribute('data-unique-id')).toBe(top.uniqueId);
    await app.page.screenshot({ path: screenshotPath('billing-aging.png'), fullPage: false });

    await billing.agingRows.first().click();
    await app.page.waitForURL(/#\/subscriptions\/\d+\/billing$/);
    subscriptionId = Number(/subscriptions\/(\d+)\/billing/.exec(app.page.url())![1]);
    expect(subscriptionId).toBe(top.subscriptionId);

    const sub = new SubscriptionBilling(app.page);
    const balance = await app.t.call('billing.balance', { subscriptionId });
    expect(balance.balanceCents).toBeGreaterThan(0);
    await expect.poll(() => sub.balance.textContent()).toBe(usd(balance.balanceCents));
    await expect.poll(() => sub.invoiceRows.count()).toBe((await app.t.call('invoices.listBySubscription', { subscriptionId })).length);
  });

  it('records a cheque payment: it is allocated, and the balance and statement drop by its amount', async () => {
    const { app } = demo;
    const sub = new SubscriptionBilling(app.page);
    const shell = new Shell(app.page);
    const before = await app.t.call('billing.balance', { subscriptionId });
    const paymentsBefore = (await app.t.call('payments.listBySubscription', { subscriptionId })).length;

    await sub.recordPayment({ amount: '25.00', method: 'Cheque', reference: 'CHQ 1042' });
    await shell.notification('Payment recorded').waitFor();
    await expect.poll(() => sub.paymentRows.count()).toBe(paymentsBefore + 1);

    const payments = await app.t.call('payments.listBySubscription', { subscriptionId });
    expect(payments).toHaveLength(paymentsBefore + 1);
    paymentNumber = payments[0]!.number;
    expect(payments[0]).toMatchObject({ method: 'cheque', amountCents: 2500, reference: 'CHQ 1042', receivedDate: demo.today });
    expect(payments[0]!.allocations.reduce((s, a) => s + a.amountCents, 0)).toBe(Math.min(2500, before.balanceCents));
    const after = await app.t.call('billing.balance', { subscriptionId });
    expect(after.balanceCents).toBe(before.balanceCents - 2500);
    await expect.poll(() => sub.balance.textContent()).toBe(usd(after.balanceCents));
    // The statement box opens on the last whole month; today's payment needs the period to run to today.
    await sub.statementPeriod(`${demo.today.slice(0, 8)}01`, demo.today);
    await expect.poll(() => sub.statementClosing.textContent()).toBe(usd(after.balanceCents));
    expect(await sub.paymentRows.first().textContent()).toContain('CHQ 1042');

  });

  it('credits part of a charge with a credit memo: the balance drops by the amount and its tax', async () => {
    const { app } = demo;
    const sub = new SubscriptionBilling(app.page);
    const shell = new Shell(app.page);
    const before = await app.t.call('billing.balance', { subscriptionId });
    const memosBefore = (await app.t.call('creditMemos.listBySubscription', { subscriptionId })).length;

    await sub.issuePartialCreditMemo('5.00', 'Outage: five dollars back');
    await shell.notification('Credit memo issued').waitFor();
    await expect.poll(() => sub.creditMemoRows.count()).toBe(memosBefore + 1);

    const memo = (await app.t.call('creditMemos.listBySubscription', { subscriptionId }))[0]!;
    creditMemoNumber = memo.number;
    expect(memo.subtotalCents).toBe(500);
    expect(memo.totalCents).toBe(500 + memo.taxCents);
    expect(memo.reason).toBe('Outage: five dollars back');
    const after = await app.t.call('billing.balance', { subscriptionId });
    expect(after.balanceCents).toBe(before.balanceCents - memo.totalCents);
    await expect.poll(() => sub.balance.textContent()).toBe(usd(after.balanceCents));

    await sub.invoiceRows.first().click();
    await app.page.getByTestId('invoice-detail').first().waitFor();
    await dismissNotifications(app.page);
    await app.page.evaluate(() => window.scrollTo(0, 0));
    await app.page.screenshot({ path: screenshotPath('billing-tab.png'), fullPage: true });
  });

  it('prints the statement to PDF: its text carries the amounts and the closing balance the API reports', async () => {
    const { app } = demo;
    const sub = new SubscriptionBilling(app.page);
    // The box opens on the last whole month; this month's payment needs the period to run to today.
    await sub.statementPeriod(`${demo.today.slice(0, 8)}01`, demo.today);
    await sub.openStatementPrintView();
    const view = new PrintView(app.page);
    await view.ready();
    await view.printButton.waitFor();

    const from = new URL(app.page.url().replace('#/', '')).searchParams.get('from')!;
    const statement = await app.t.call('statements.get', { subscriptionId, from, to: demo.today });
    const payment = statement.rows.find((r) => r.kind === 'payment' && r.number === paymentNumber);
    const invoices = statement.rows.filter((r) => r.kind === 'invoice');
    expect(payment?.creditCents).toBe(2500);
    expect(invoices.length).toBeGreaterThan(0);
    expect(statement.closingBalanceCents).toBe((await app.t.call('billing.balance', { subscriptionId })).balanceCents);

    await app.page.screenshot({ path: screenshotPath('statement-print-view.png') });
    mkdirSync(outputDir, { recursive: true });
    rmSync(pdfPath, { force: true });
    await app.page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    expect(statSync(pdfPath).size).toBeGreaterThan(1000);

    const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Statement');
    expect(text).toContain('Pine Hollow Wireless');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain(usd(statement.openingBalanceCents));
    for (const inv of invoices) {
      expect(text).toContain(inv.number);
      expect(text).toContain(usd(inv.debitCents));
    }
    expect(text).toContain(payment!.number);
    const memo = statement.rows.find((r) => r.kind === 'credit_memo' && r.number === creditMemoNumber);
    expect(memo).toBeDefined();
    expect(text).toContain(memo!.number);
    expect(text).toContain(usd(memo!.creditCents));
    expect(text).toContain(usd(2500));
    const closing = statement.closingBalanceCents;
    const label = closing > 0 ? 'Balance due' : closing < 0 ? 'Credit in your favour' : 'Balance';
    expect(text).toMatch(new RegExp(`${label} on [A-Za-z]+ \\d+, \\d{4}\\s+${usd(Math.abs(closing)).replace(/[$.]/g, '\\$&')}`));
    // The toolbar is for the screen only.
    expect(text).not.toContain('Print or save as PDF');

    const png = screenshotPath('statement-page1');
    rmSync(`${png}.png`, { force: true });
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfPath, png]);
    expect(existsSync(`${png}.png`)).toBe(true);
  });

  it('prints an invoice from the Billing tab: the print view shows the issued invoice', async () => {
    const { app } = demo;
    await app.goto(`/subscriptions/${subscriptionId}/billing`);
    const sub = new SubscriptionBilling(app.page);
    const newest = (await app.t.call('invoices.listBySubscription', { subscriptionId }))[0]!;
    await sub.invoiceRows.first().getByTestId('print-invoice').click();
    await app.page.waitForURL(new RegExp(`#/print/invoice/${newest.id}$`));
    const view = new PrintView(app.page);
    await view.ready();
    const text = (await view.document.textContent()) ?? '';
    expect(text).toContain(`Invoice ${newest.number}`);
    expect(text).toContain(usd(newest.totalCents));
    expect(text).toContain(usd(newest.openBalanceCents));
  });

  it('changes the payment terms and the ISP\'s phone in Billing settings', async () => {
    const { app } = demo;
    const billing = new BillingArea(app.page);
    const shell = new Shell(app.page);
    await app.goto('/billing/settings');
    await billing.saveSettings({ 'Payment terms (days)': '20', Phone: '+1 (208) 555-0199' });
    await shell.notification('Billing settings saved').waitFor();
    const settings = await app.t.call('billingSettings.get', {});
    expect(settings.paymentTermsDays).toBe(20);
    expect(settings.ispPhone).toBe('+1 (208) 555-0199');
    expect(settings.ispName).toBe('Pine Hollow Wireless');
    await dismissNotifications(app.page);
    await app.page.evaluate(() => window.scrollTo(0, 0));
    await app.page.screenshot({ path: screenshotPath('billing-settings.png'), fullPage: true });
  });

  it('prints all of last month\'s statements in one document from the Billing area', async () => {
    const { app } = demo;
    const billing = new BillingArea(app.page);
    await app.goto('/billing/runs');
    await billing.printMonthStatements.click();
    await app.page.waitForURL(/#\/print\/statements\?/);
    const view = new PrintView(app.page);
    await view.ready();
    const params = new URL(app.page.url().replace('#/', '')).searchParams;
    const lastMonthStart = `${addMonths(demo.today, -1).slice(0, 8)}01`;
    expect(params.get('from')).toBe(lastMonthStart);
    const batch = await app.t.call('statements.batchHtml', { from: params.get('from')!, to: params.get('to')! });
    expect(batch.count).toBeGreaterThan(1);
    expect(await view.document.locator('section.document').count()).toBe(batch.count);
    expect(await app.page.getByTestId('print-toolbar').textContent()).toContain(`${batch.count.toLocaleString('en-US')} statements`);
  });

  it('reported no page errors along the way', () => {
    expect(demo.app.problems).toEqual([]);
  });
});
