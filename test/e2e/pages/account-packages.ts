import type { Locator, Page } from 'playwright-core';
import { pick } from './catalog-network';
import { choose, field, fieldError } from './forms';

/** The provision / edit dialog of an account package. */
export class AccountPackageFormModel {
  constructor(readonly page: Page) {}

  get modal(): Locator {
    return this.page.getByRole('dialog').filter({ has: this.page.getByTestId('account-package-form') });
  }
  get startDate(): Locator {
    return field(this.modal, 'Start date');
  }
  get endDate(): Locator {
    return field(this.modal, 'End date');
  }
  error(label: 'Package' | 'Contract' | 'Start date' | 'End date'): Locator {
    return fieldError(this.modal, label);
  }
  async choosePackage(name: string): Promise<void> {
    await choose(this.page, field(this.modal, 'Package'), name, name);
  }
  async chooseContract(option: string | RegExp): Promise<void> {
    await pick(this.page, field(this.modal, 'Contract'), option);
  }
  async save(): Promise<void> {
    await this.modal.getByTestId('account-package-save').click();
  }
}

/** The dialog adding one of the package's products to an account package. */
export class AddPackageProductModel {
  constructor(readonly page: Page) {}

  get modal(): Locator {
    return this.page.getByRole('dialog').filter({ has: this.page.getByTestId('package-product-form') });
  }
  async chooseProduct(option: string | RegExp): Promise<void> {
    await pick(this.page, field(this.modal, 'Product'), option);
  }
  async save(): Promise<void> {
    await this.modal.getByRole('button', { name: 'Add', exact: true }).click();
  }
}

/** The account packages at the top of a subscription's Services tab. */
export class AccountPackagesModel {
  constructor(readonly page: Page) {}

  get section(): Locator {
    return this.page.getByTestId('account-packages');
  }
  get rows(): Locator {
    return this.page.getByTestId('account-package-row');
  }
  row(packageName: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('account-package-name').getByText(packageName, { exact: true }) });
  }
  get emptyState(): Locator {
    return this.section.getByText('No packages on this subscription.');
  }
  async openProvision(): Promise<AccountPackageFormModel> {
    await this.section.getByRole('button', { name: 'Provision package' }).click();
    const form = new AccountPackageFormModel(this.page);
    await form.modal.waitFor();
    return form;
  }
  /** Opens a package's actions menu and picks one: "Edit", "Add product" or "Delete". */
  async action(packageName: string, item: 'Edit' | 'Add product' | 'Delete'): Promise<void> {
    await this.page.getByRole('button', { name: `Actions for package ${packageName}` }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }
  async openEdit(packageName: string): Promise<AccountPackageFormModel> {
    await this.action(packageName, 'Edit');
    const form = new AccountPackageFormModel(this.page);
    await form.modal.waitFor();
    return form;
  }
  async openAddProduct(packageName: string): Promise<AddPackageProductModel> {
    await this.action(packageName, 'Add product');
    const form = new AddPackageProductModel(this.page);
    await form.modal.waitFor();
    return form;
  }
  get confirmDelete(): Locator {
    return this.page.getByRole('dialog', { name: 'Delete account package' });
  }
  get deleteButton(): Locator {
    return this.page.getByTestId('confirm-delete-button');
  }
  get deleteRefusal(): Locator {
    return this.page.getByTestId('delete-refused');
  }
}
