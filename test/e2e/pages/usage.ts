import type { Locator, Page } from 'playwright-core';

/** The traffic graph of a service (opened from the Services tab) and the usage on the Summary. */
export class TrafficGraphModel {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('traffic-graph');
  }
  /** Bars drawn with a height: a day with traffic in that series (days without draw none). */
  async drawnBars(): Promise<number> {
    return this.root.locator('.recharts-bar-rectangle path').evaluateAll((paths) => paths.filter((p) => Number(p.getAttribute('height')) > 0).length);
  }
  total(which: 'range-download' | 'range-upload' | 'month-total'): Locator {
    return this.root.getByTestId(which);
  }
  async range(label: '7 days' | '30 days' | '90 days' | '1 year' | 'Dates'): Promise<void> {
    await this.root.getByText(label, { exact: true }).click();
  }
}

export class UsageSummaryModel {
  constructor(readonly page: Page) {}

  get root(): Locator {
    return this.page.getByTestId('usage-summary');
  }
  get monthTotal(): Locator {
    return this.root.getByTestId('usage-month-total');
  }
}
