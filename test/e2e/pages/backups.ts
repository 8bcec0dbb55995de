import type { Locator, Page } from 'playwright-core';

/** The Backups section under Billing → Settings. */
export class BackupSection {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('backup-section');
  }
  get folder(): Locator {
    return this.root.getByLabel('Backup folder');
  }
  get keep(): Locator {
    return this.root.getByLabel('Keep');
  }
  get save(): Locator {
    return this.root.getByRole('button', { name: 'Save backup settings' });
  }
  get backUpNow(): Locator {
    return this.page.getByTestId('backup-now');
  }
  get last(): Locator {
    return this.page.getByTestId('backup-last');
  }
  get rows(): Locator {
    return this.page.getByTestId('backup-row');
  }
  get otherFile(): Locator {
    return this.root.getByLabel('Restore from another file');
  }
  get restoreOther(): Locator {
    return this.root.getByRole('button', { name: 'Restore…' });
  }
  get modal(): Locator {
    return this.page.getByRole('dialog', { name: 'Restore a backup?' });
  }
  get confirm(): Locator {
    return this.page.getByTestId('restore-confirm');
  }
  get restoreError(): Locator {
    return this.page.getByTestId('restore-error');
  }
}
