import type { Locator, Page } from 'playwright-core';

/** A mantine-datatable list page: rows, paging, sorting, and the delete dialog of its rows. */
export class ListPage {
  constructor(
    readonly page: Page,
    readonly rowTestId: string,
  ) {}

  get rows(): Locator {
    return this.page.getByTestId(this.rowTestId);
  }

  row(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }

  /** The text of the first cell of each row on screen. */
  async firstCells(): Promise<string[]> {
    return this.rows.locator('td:first-child').allTextContents();
  }

  sortBy(column: string): Locator {
    return this.page.locator('thead th', { hasText: column });
  }

  pageButton(n: number): Locator {
    return this.page.locator('.mantine-Pagination-control', { hasText: new RegExp(`^${n}$`) });
  }

  get paginationText(): Locator {
    return this.page.locator('.mantine-datatable-pagination-text');
  }

  async deleteRow(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete ${name}` }).click();
    await this.page.getByTestId('confirm-delete-button').click();
  }

  get deleteRefusal(): Locator {
    return this.page.getByTestId('delete-refused');
  }
}
