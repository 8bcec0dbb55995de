import type { Download, Locator, Page } from 'playwright-core';

/** The import wizard and the export menu of a list. */
export class ImportWizardPage {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  async open(kind: string): Promise<void> {
    await this.page.getByTestId(`import-${kind}`).click();
    await this.dialog.waitFor();
  }

  /** Chooses a file through the wizard's (hidden) file input, as the file dialog would. */
  async choose(name: string, bytes: Buffer): Promise<void> {
    await this.dialog.locator('input[type=file]').first().setInputFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream', buffer: bytes });
  }

  get dryRunButton(): Locator {
    return this.page.getByTestId('import-dry-run');
  }

  get applyButton(): Locator {
    return this.page.getByTestId('import-apply');
  }

  errorAt(row: number, column: string): Locator {
    return this.page.locator(`[data-testid=import-error-row][data-row="${row}"][data-column="${column}"]`);
  }

  get errorRows(): Locator {
    return this.page.getByTestId('import-error-row');
  }

  get result(): Locator {
    return this.page.getByTestId('import-result');
  }
}

/** Exports from a list's menu; `also` names another list the menu offers (its label, as "All services"). */
export async function exportList(page: Page, list: string, format: 'Excel workbook (.xlsx)' | 'CSV (.csv)', also?: string): Promise<Download> {
  await page.getByTestId(`export-${list}`).click();
  const name = also ? `${format} · ${also.toLowerCase()}` : format;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name, exact: true }).click()]);
  return download;
}
