import type { Locator, Page } from 'playwright-core';
import { field } from './forms';

export interface NewContact {
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
}

export class ContactsPage {
  constructor(readonly page: Page) {}

  get modal(): Locator {
    return this.page.getByRole('dialog');
  }

  row(text: string): Locator {
    return this.page.getByTestId('contact-row').filter({ hasText: text });
  }

  async create(contact: NewContact): Promise<void> {
    await this.page.getByRole('button', { name: 'New contact' }).click();
    const modal = this.modal;
    await field(modal, 'First name').fill(contact.firstName);
    await field(modal, 'Last name').fill(contact.lastName);
    if (contact.phone) {
      await field(modal, 'Phones').fill(contact.phone);
      await field(modal, 'Phones').press('Enter');
    }
    if (contact.email) {
      await field(modal, 'Emails').fill(contact.email);
      await field(modal, 'Emails').press('Enter');
    }
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}
