import type { Locator, Page } from 'playwright-core';

/** The app shell: navigation, "Working as", quick search and notifications. */
export class Shell {
  constructor(readonly page: Page) {}

  nav(label: 'Subscriptions' | 'Contacts' | 'Organizations' | 'Staff' | 'Plans' | 'Packages' | 'Hotspot plans' | 'Tax classes'): Locator {
    return this.page.getByRole('navigation').getByRole('link', { name: label, exact: true });
  }

  get pageTitle(): Locator {
    return this.page.getByTestId('page-title');
  }

  /** The latest notification that mentions `text`. */
  notification(text: string): Locator {
    return this.page.locator('.mantine-Notification-root', { hasText: text }).last();
  }

  async workAs(name: string): Promise<void> {
    await this.page.getByTestId('working-as').click();
    await this.page.getByRole('option', { name }).click();
  }

  get quickSearchInput(): Locator {
    return this.page.getByPlaceholder('Find by name, organization, login, IP, MAC, serial, voucher or invoice');
  }

  quickSearchHit(text: string): Locator {
    return this.page.getByTestId('quick-search-hit').filter({ hasText: text });
  }

  async openQuickSearchWithKeyboard(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.quickSearchInput.waitFor();
  }
}
