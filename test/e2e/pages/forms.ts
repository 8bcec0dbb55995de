import type { Locator, Page } from 'playwright-core';

/** Mantine inputs by their visible label, and the error Mantine shows under each one. */
export function field(scope: Page | Locator, label: string): Locator {
  // A required input's label ends in " *" (hidden from screen readers, not from label text).
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?$`));
}

export function fieldError(scope: Page | Locator, label: string): Locator {
  const page = 'page' in scope ? scope.page() : scope;
  // `has` is matched inside each wrapper, so it must be a locator from the page root.
  return scope.locator('.mantine-InputWrapper-root', { has: field(page, label) }).locator('.mantine-InputWrapper-error');
}

/** Picks an option in a Mantine Select: type to search, then click the option. */
export async function choose(page: Page, input: Locator, search: string, option: string | RegExp): Promise<void> {
  await input.click();
  // Selects that are not searchable are read-only: open them and click.
  if (search) await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}
