/** Pure rules about scheduled changes: wording, and which are due. */

export interface ChangeDescription {
  kind: 'plan' | 'price' | 'status' | 'discount';
  planName: string | null;
  priceCents: number | null;
  status: string | null;
  discountPercent: string | null;
  discountStart: string | null;
  discountEnd: string | null;
}

function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** One line for the Services tab: "Plan → Fiber 300/300", "Price → 49.00", "Discount 10% from 2027-01-01 to 2027-03-31". */
export function describeChange(c: ChangeDescription): string {
  switch (c.kind) {
    case 'plan':
      return `Plan → ${c.planName ?? '?'}`;
    case 'price':
      return c.priceCents === null ? 'Price → the plan\'s price' : `Price → ${dollars(c.priceCents)}`;
    case 'status':
      return `Status → ${c.status}`;
    case 'discount':
      return `Discount ${c.discountPercent}% from ${c.discountStart}${c.discountEnd ? ` to ${c.discountEnd}` : ''}`;
  }
}

/** A change is due on its date and on every later day until applied: the catch-up after the app was closed. */
export function isDue(effectiveDate: string, today: string): boolean {
  return effectiveDate <= today;
}
