import type { Locator, Page } from 'playwright-core';
import { choose, field, fieldError } from './forms';

export interface NewSubscription {
  contactSearch: string;
  contact: string | RegExp;
  name: string;
  engineer: string | RegExp;
}

/** The subscription form: a new subscription's page, or the Details tab of one. */
export class SubscriptionForm {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('subscription-form');
  }
  get contact(): Locator {
    return field(this.root, 'Contact');
  }
  get name(): Locator {
    return field(this.root, 'Name');
  }
  get engineer(): Locator {
    return field(this.root, 'Engineer');
  }
  error(label: 'Contact' | 'Name' | 'Engineer' | 'Bill day'): Locator {
    return fieldError(this.root, label);
  }

  async fill(s: NewSubscription): Promise<void> {
    await choose(this.page, this.contact, s.contactSearch, s.contact);
    await this.name.fill(s.name);
    await choose(this.page, this.engineer, '', s.engineer);
  }

  async saveAndNew(): Promise<void> {
    await this.root.getByRole('button', { name: 'Save & New' }).click();
  }

  async save(): Promise<void> {
    await this.root.getByRole('button', { name: 'Save', exact: true }).click();
  }
}

/** One subscription's page: header, tabs, status change. */
export class SubscriptionPage {
  constructor(readonly page: Page) {}

  tab(name: 'Summary' | 'Details' | 'Services' | 'Hotspot' | 'Devices' | 'Billing'): Locator {
    return this.page.getByRole('tab', { name });
  }

  get activePanel(): Locator {
    return this.page.getByRole('tabpanel');
  }

  get history(): Locator {
    return this.page.getByTestId('history-row');
  }

  get summaryStatus(): Locator {
    return this.page.getByTestId('summary-status');
  }

  get statusModal(): Locator {
    return this.page.getByRole('dialog', { name: 'Change status' });
  }

  async changeStatus(to: string, reason: string): Promise<void> {
    const modal = this.statusModal;
    await this.page.getByRole('button', { name: 'Change status' }).click();
    await field(modal, 'New status').click();
    await this.page.getByRole('option', { name: to, exact: true }).click();
    await field(modal, 'Reason').fill(reason);
    await modal.getByRole('button', { name: 'Change status' }).click();
    await modal.waitFor({ state: 'hidden' });
  }

  statusError(label: 'New status' | 'Reason'): Locator {
    return fieldError(this.statusModal, label);
  }
}
