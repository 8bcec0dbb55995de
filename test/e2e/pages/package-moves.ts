import type { Locator, Page } from 'playwright-core';
import { pick } from './catalog-network';
import { field } from './forms';

/** The Upgrade paths section of a package and its dialog. */
export class UpgradePathsModel {
  constructor(readonly page: Page) {}

  get section(): Locator {
    return this.page.getByTestId('upgrade-paths');
  }
  row(target: string): Locator {
    return this.section.getByTestId('upgrade-path-row').filter({ hasText: target });
  }
  async add(target: string, fee: string, feeProduct: string | RegExp | null): Promise<void> {
    await this.section.getByRole('button', { name: 'Add upgrade path' }).click();
    const modal = this.page.getByRole('dialog', { name: 'Add upgrade path' });
    await pick(this.page, field(modal, 'Target package'), target);
    await field(modal, 'Upgrade fee').fill(fee);
    if (feeProduct) await pick(this.page, field(modal, 'Fee posted on'), feeProduct);
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}

/** The Upgrade / Downgrade wizard on the Services tab. */
export class MoveWizardModel {
  constructor(readonly page: Page) {}

  get wizard(): Locator {
    return this.page.getByTestId('move-wizard');
  }
  async open(packageName: string): Promise<void> {
    await this.page.getByRole('button', { name: `Actions for package ${packageName}` }).click();
    await this.page.getByRole('menuitem', { name: 'Upgrade / Downgrade' }).click();
    await this.wizard.waitFor();
  }
  async chooseTarget(name: string): Promise<void> {
    await pick(this.page, this.wizard.getByTestId('move-target'), name);
  }
  get net(): Locator {
    return this.wizard.getByTestId('move-net');
  }
  get credits(): Locator {
    return this.wizard.getByTestId('move-credit');
  }
  get charges(): Locator {
    return this.wizard.getByTestId('move-charge');
  }
}
