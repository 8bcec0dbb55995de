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

  /**
   * Right after a navigation the shortcut can arrive before the app has mounted its key handler
   * (a person would press again), so it presses until the search opens, a few times at most.
   */
  async openQuickSearchWithKeyboard(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+K');
      try {
        await this.quickSearchInput.waitFor({ timeout: 3000 });
        return;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
  }
}
