import type { Locator, Page } from 'playwright-core';
import { field } from './forms';

/** The Billing area: runs (preview, run, progress, history), open invoices, aging, settings. */
export class BillingArea {
  constructor(readonly page: Page) {}

  get navLink(): Locator {
    return this.page.getByTestId('nav-billing');
  }

  tab(name: 'Runs' | 'Draft invoices' | 'Aging' | 'Settings'): Locator {
    return this.page.getByRole('tab', { name });
  }

  get runDate(): Locator {
    return this.page.getByTestId('run-date');
  }

  get previewButton(): Locator {
    return this.page.getByTestId('preview-run');
  }

  get preview(): Locator {
    return this.page.getByTestId('run-preview');
  }

  previewFigure(name: 'subscriptions' | 'charges' | 'total'): Locator {
    return this.page.getByTestId(`preview-${name}`);
  }

  get previewPlans(): Locator {
    return this.page.getByTestId('preview-by-plan').locator('tbody tr');
  }

  get runButton(): Locator {
    return this.page.getByTestId('start-run');
  }

  /** The confirmation a run asks for, with the preview's totals. */
  get confirmRun(): Locator {
    return this.page.getByRole('dialog', { name: /^Run billing up to/ });
  }

  /** Run billing and confirm it. */
  async startRun(): Promise<void> {
    await this.runButton.click();
    await this.page.getByTestId('confirm-start-run').click();
  }

  get progress(): Locator {
    return this.page.getByTestId('run-progress');
  }

  /** The progress box once the run is no longer running. */
  finishedRun(status: 'completed' | 'failed' | 'interrupted' = 'completed'): Locator {
    return this.page.locator(`[data-testid="run-progress"][data-status="${status}"]`);
  }

  runFigure(name: 'subscriptions' | 'charges' | 'invoices' | 'amount'): Locator {
    return this.progress.getByTestId(`run-${name}`);
  }

  get historyRows(): Locator {
    return this.page.getByTestId('run-row');
  }

  get openInvoiceRows(): Locator {
    return this.page.getByTestId('open-invoice-row');
  }

  async closeAllOpenInvoices(): Promise<void> {
    await this.page.getByTestId('close-all-open').click();
    await this.page.getByTestId('confirm-close-all').click();
    await this.page.getByTestId('close-all-modal').waitFor({ state: 'hidden' });
  }

  get agingRows(): Locator {
    return this.page.getByTestId('aging-row');
  }

  get agingTotal(): Locator {
    return this.page.getByTestId('aging-total');
  }

  /** Fills the settings form's fields by label and saves it. */
  async saveSettings(values: Record<string, string>): Promise<void> {
    const form = this.page.getByTestId('billing-settings-form');
    for (const [label, value] of Object.entries(values)) await field(form, label).fill(value);
    await form.getByRole('button', { name: 'Save settings' }).click();
  }

  get printMonthStatements(): Locator {
    return this.page.getByTestId('print-month-statements');
  }
}

export interface NewPayment {
  amount: string;
  method: 'Cash' | 'Cheque' | 'Bank transfer' | 'Card (entered by hand)';
  reference?: string;
}

/** The Billing tab of a subscription's page. */
export class SubscriptionBilling {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('billing-tab');
  }

  get balance(): Locator {
    return this.page.getByTestId('billing-balance');
  }

  get invoiceRows(): Locator {
    return this.page.getByTestId('invoice-row');
  }

  get paymentRows(): Locator {
    return this.page.getByTestId('payment-row');
  }

  get statementClosing(): Locator {
    return this.page.getByTestId('statement-closing');
  }

  get paymentModal(): Locator {
    return this.page.getByTestId('record-payment-modal');
  }

  async recordPayment(p: NewPayment): Promise<void> {
    await this.page.getByTestId('record-payment').click();
    const modal = this.page.getByRole('dialog', { name: 'Record payment' });
    await field(modal, 'Amount').fill(p.amount);
    await field(modal, 'Method').click();
    await this.page.getByRole('option', { name: p.method, exact: true }).click();
    if (p.reference) await field(modal, 'Reference').fill(p.reference);
    await modal.getByTestId('save-payment').click();
    await modal.waitFor({ state: 'hidden' });
  }

  get creditMemoRows(): Locator {
    return this.page.getByTestId('credit-memo-row');
  }

  /** Credits part of the first charge of the invoice the dialog offers first (the newest closed one). */
  async issuePartialCreditMemo(amount: string, reason: string): Promise<void> {
    await this.page.getByTestId('issue-credit-memo').click();
    const modal = this.page.getByRole('dialog', { name: 'Issue credit memo' });
    const first = modal.getByTestId('credit-charge-row').first();
    await first.getByRole('checkbox').check();
    await first.getByRole('textbox').fill(amount);
    await field(modal, 'Reason').fill(reason);
    await modal.getByTestId('save-credit-memo').click();
    await modal.waitFor({ state: 'hidden' });
  }

  /** Sets the statement box's period (it starts on the last whole month). */
  async statementPeriod(from: string, to: string): Promise<void> {
    const box = this.page.getByTestId('statement-box');
    await box.getByLabel('Statement from').fill(from);
    await box.getByLabel('to', { exact: true }).fill(to);
  }

  async openStatementPrintView(): Promise<void> {
    await this.page.getByTestId('print-statement').click();
    await this.page.waitForURL(/#\/print\/statement\/\d+\?/);
  }
}

/** The print view: the document alone, with a toolbar that is not printed. */
export class PrintView {
  constructor(readonly page: Page) {}

  get document(): Locator {
    return this.page.getByTestId('print-document');
  }

  get printButton(): Locator {
    return this.page.getByTestId('print-button');
  }

  /** The document is on the page and its images (the ISP's logo) have loaded. */
  async ready(): Promise<void> {
    await this.document.waitFor();
    await this.page.waitForFunction(() => [...document.images].every((img) => img.complete));
  }
}

/** Closes every notification on screen, so a screenshot shows the page under them. */
export async function dismissNotifications(page: Page): Promise<void> {
  const shown = page.locator('.mantine-Notification-root');
  for (let n = await shown.count(); n > 0; n = await shown.count()) {
    // One may close by itself between counting and clicking; the next count tells.
    await shown.first().locator('button').click({ timeout: 2_000 }).catch(() => undefined);
  }
}
