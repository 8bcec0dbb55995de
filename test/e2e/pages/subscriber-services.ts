import type { Locator, Page } from 'playwright-core';
import { pick, segment } from './catalog-network';
import { field, fieldError } from './forms';

export interface NewInternetService {
  planSearch: string;
  plan: string | RegExp;
  router: string | RegExp;
  login: string;
  /** Picks this permanent network; its lowest free address is filled in. */
  network: string | RegExp;
}

/** The service form (add or edit) opened from a subscription's Services tab. */
export class ServiceFormModel {
  constructor(readonly page: Page) {}

  /** The dialog itself: Mantine's modal root has no box of its own, so it never counts as visible. */
  get modal(): Locator {
    return this.page.getByRole('dialog').filter({ has: this.page.getByTestId('service-form') });
  }
  get login(): Locator {
    return field(this.modal, 'Login');
  }
  get address(): Locator {
    return field(this.modal, 'IPv4 address');
  }
  get passwordHint(): Locator {
    return this.modal.locator('.mantine-InputWrapper-root', { has: this.page.getByLabel('Password', { exact: true }) }).locator('.mantine-InputWrapper-description');
  }
  error(label: 'Login' | 'IPv4 address' | 'Plan' | 'MAC addresses'): Locator {
    return fieldError(this.modal, label);
  }

  async fillInternet(s: NewInternetService): Promise<void> {
    const plan = field(this.modal, 'Plan');
    await plan.click();
    await plan.fill(s.planSearch);
    await this.page.getByRole('option', { name: s.plan }).first().click();
    await this.modal.getByTestId('tariff-options').waitFor();
    await pick(this.page, field(this.modal, 'Router'), s.router);
    await this.login.fill(s.login);
    await segment(this.modal, 'Permanent').click();
    await pick(this.page, field(this.modal, 'Network'), s.network);
  }

  async setOwnPrice(price: string): Promise<void> {
    await this.modal.getByRole('switch', { name: 'Own price' }).check();
    await field(this.modal, 'Price').fill(price);
  }

  async save(): Promise<void> {
    await this.modal.getByRole('button', { name: 'Save', exact: true }).click();
  }
}

/** A subscription's Services, Devices and Hotspot tabs. */
export class ServicesTabModel {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('services-panel');
  }
  get rows(): Locator {
    return this.page.getByTestId('service-row');
  }
  row(text: string): Locator {
    return this.rows.filter({ hasText: text });
  }
  /** Opens a service's actions menu and picks one ("Schedule a change", "Change plan now", …). */
  async action(service: string, item: string): Promise<void> {
    await this.page.getByRole('button', { name: `Actions for ${service}` }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }
  pending(text: string): Locator {
    return this.rows.getByTestId('service-pending').filter({ hasText: text });
  }
  async openNew(): Promise<ServiceFormModel> {
    await this.page.getByRole('button', { name: 'Add service' }).click();
    const form = new ServiceFormModel(this.page);
    await form.modal.waitFor();
    return form;
  }
}

export interface NewDevice {
  type: string;
  vendor: string;
  model: string;
  mac: string;
}

export class DevicesTabModel {
  constructor(readonly page: Page) {}

  row(text: string): Locator {
    return this.page.getByTestId('device-row').filter({ hasText: text });
  }

  async add(d: NewDevice): Promise<void> {
    await this.page.getByRole('button', { name: 'Add device' }).click();
    const modal = this.page.getByRole('dialog', { name: 'New device' });
    await pick(this.page, field(modal, 'Type'), d.type);
    await field(modal, 'Vendor').fill(d.vendor);
    await field(modal, 'Model').fill(d.model);
    await field(modal, 'MAC address').fill(d.mac);
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}

export class HotspotTabModel {
  constructor(readonly page: Page) {}

  get rows(): Locator {
    return this.page.getByTestId('hotspot-row');
  }

  /** Generates a batch; the app then shows its printable sheet. */
  async generateVouchers(plan: string | RegExp, count: number): Promise<void> {
    await this.page.getByRole('button', { name: 'Generate vouchers' }).click();
    const modal = this.page.getByRole('dialog', { name: 'Generate vouchers' });
    await pick(this.page, field(modal, 'Hotspot plan'), plan);
    await field(modal, 'Number of vouchers').fill(String(count));
    await modal.getByRole('button', { name: 'Generate' }).click();
    await modal.waitFor({ state: 'hidden' });
  }

  get sheetCards(): Locator {
    return this.page.getByTestId('voucher-card');
  }
}

/** The "Schedule a change" dialog of one service, with its pending changes. */
export class ScheduleChangeModel {
  constructor(
    readonly page: Page,
    readonly service: string,
  ) {}

  get modal(): Locator {
    return this.page.getByRole('dialog', { name: `Schedule a change: ${this.service}` });
  }
  get pendingRows(): Locator {
    return this.modal.getByTestId('pending-change');
  }

  async schedulePlan(plan: string | RegExp): Promise<void> {
    await segment(this.modal, 'Plan').click();
    await pick(this.page, field(this.modal, 'New plan'), plan);
    await this.modal.getByRole('button', { name: 'Schedule', exact: true }).click();
  }

  async cancel(summary: string | RegExp): Promise<void> {
    await this.modal.getByRole('button', { name: summary instanceof RegExp ? summary : `Cancel ${summary}` }).click();
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.modal.waitFor({ state: 'hidden' });
  }
}
