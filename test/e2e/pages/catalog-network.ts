import type { Locator, Page } from 'playwright-core';
import { field } from './forms';

/** A link of the left navigation, whatever its section. */
export function navLink(page: Page, label: string): Locator {
  return page.getByRole('navigation').getByRole('link', { name: label, exact: true });
}

/** Opens a Mantine Select that is not searchable and clicks one of its options. */
export async function pick(page: Page, input: Locator, option: string | RegExp): Promise<void> {
  await input.click();
  await page.getByRole('option', { name: option }).first().click();
}

/** One segment of a Mantine SegmentedControl, by its visible label. */
export function segment(scope: Page | Locator, label: string): Locator {
  return scope.locator('label', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
}

export interface NewInternetPlan {
  name: string;
  price: string;
  downloadMbps: string;
  uploadMbps: string;
  qosMode: string;
}

/** Catalog → Plans and its form. */
export class PlansPageModel {
  constructor(readonly page: Page) {}

  get modal(): Locator {
    return this.page.getByRole('dialog', { name: 'New plan' });
  }

  row(text: string): Locator {
    return this.page.getByTestId('plan-row').filter({ hasText: text });
  }

  async createInternetPlan(p: NewInternetPlan): Promise<void> {
    await this.page.getByRole('button', { name: 'New plan' }).click();
    const modal = this.modal;
    await segment(modal, 'Internet').click();
    await field(modal, 'Name').fill(p.name);
    await field(modal, 'Price').fill(p.price);
    await field(modal, 'Download (Mbit/s)').fill(p.downloadMbps);
    await field(modal, 'Upload (Mbit/s)').fill(p.uploadMbps);
    await pick(this.page, field(modal, 'QoS mode'), p.qosMode);
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}

/** Catalog → Packages, and one package's page. */
export class PackagesPageModel {
  constructor(readonly page: Page) {}

  row(text: string): Locator {
    return this.page.getByTestId('package-row').filter({ hasText: text });
  }

  productRow(text: string): Locator {
    return this.page.getByTestId('product-row').filter({ hasText: text });
  }

  /** Creates a package; the app then opens its page. */
  async create(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New package' }).click();
    const modal = this.page.getByRole('dialog', { name: 'New package' });
    await field(modal, 'Name').fill(name);
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
  }

  async addPlanProduct(planSearch: string, plan: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name: 'Add product' }).click();
    const modal = this.page.getByRole('dialog', { name: 'Add product' });
    const input = field(modal, 'Plan');
    await input.click();
    await input.fill(planSearch);
    await this.page.getByRole('option', { name: plan }).first().click();
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}

export interface NewNetwork {
  cidr: string;
  gateway: string;
  router: string | RegExp;
  description?: string;
}

/** Network → IP networks. */
export class IpNetworksPageModel {
  constructor(readonly page: Page) {}

  get modal(): Locator {
    return this.page.getByRole('dialog', { name: 'New IP network' });
  }

  row(text: string): Locator {
    return this.page.getByTestId('ip-network-row').filter({ hasText: text });
  }

  async createPermanent(n: NewNetwork): Promise<void> {
    await this.page.getByRole('button', { name: 'New network' }).click();
    const modal = this.modal;
    await field(modal, 'Network (CIDR)').fill(n.cidr);
    await segment(modal, 'Permanent addresses').click();
    await pick(this.page, field(modal, 'Router'), n.router);
    await field(modal, 'Gateway').fill(n.gateway);
    if (n.description) await field(modal, 'Description').fill(n.description);
    await modal.getByRole('button', { name: 'Save', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
  }
}
