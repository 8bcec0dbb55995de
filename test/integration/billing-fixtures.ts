import type { TestBackend } from '../fixtures/backend';
import { makeSubscription } from '../fixtures/factories';

/**
 * Catalog rows and services for billing tests, written straight to the datastore so the billing
 * tests do not depend on the catalog screens' procedures.
 */
const stamp = '2026-11-01T00:00:00.000Z';

export async function taxClass(t: TestBackend, name: string, ratePercent: string): Promise<number> {
  const r = await t.backend.datastore.db.insertInto('tax_classes').values({ name, rate_percent: ratePercent, created_at: stamp }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function plan(t: TestBackend, p: { name: string; priceCents: number; payPeriodMonths?: number; taxClassId?: number | null }): Promise<number> {
  const r = await t.backend.datastore.db
    .insertInto('plans')
    .values({ kind: 'Internet', name: p.name, price_cents: p.priceCents, pay_period_months: p.payPeriodMonths ?? 1, tax_class_id: p.taxClassId ?? null, created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface ServiceSpec {
  subscriptionId: number;
  planId: number;
  startDate: string;
  endDate?: string | null;
  priceCents?: number | null;
  quantity?: string;
  payPeriodMonths?: number;
  ratingMethod?: 'recurring' | 'one-time' | 'prepaid-usage';
  discount?: { percent: string; start: string | null; end: string | null };
  description?: string;
  accountPackageId?: number | null;
  status?: string;
}

export async function service(t: TestBackend, s: ServiceSpec): Promise<number> {
  const db = t.backend.datastore.db;
  const p = await db.selectFrom('plans').select(['name', 'pay_period_months']).where('id', '=', s.planId).executeTakeFirstOrThrow();
  const r = await db
    .insertInto('services')
    .values({
      subscription_id: s.subscriptionId,
      account_package_id: s.accountPackageId ?? null,
      plan_id: s.planId,
      description: s.description ?? p.name,
      quantity: s.quantity ?? '1',
      price_cents: s.priceCents ?? null,
      pay_period_months: s.payPeriodMonths ?? p.pay_period_months,
      rating_method: s.ratingMethod ?? 'recurring',
      start_date: s.startDate,
      end_date: s.endDate ?? null,
      discount_percent: s.discount?.percent ?? null,
      discount_start: s.discount?.start ?? null,
      discount_end: s.discount?.end ?? null,
      status: s.status ?? 'Active',
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function subscription(t: TestBackend, billDay = 1): Promise<number> {
  return (await makeSubscription(t, { billDay })).id;
}

export interface PackageSpec {
  name: string;
  products: { name: string; planId: number | null; ratingMethod: 'recurring' | 'one-time' | 'prepaid-usage'; priceCents: number; minQuantity: number | null }[];
  contract?: { name: string; termMonths: number };
}

export async function catalogPackage(t: TestBackend, spec: PackageSpec): Promise<{ packageId: number; productIds: number[]; contractId: number | null }> {
  const db = t.backend.datastore.db;
  const pkg = await db.insertInto('packages').values({ name: spec.name, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow();
  const productIds: number[] = [];
  for (const [i, p] of spec.products.entries()) {
    const r = await db
      .insertInto('package_products')
      .values({ package_id: pkg.id, plan_id: p.planId, name: p.name, rating_method: p.ratingMethod, price_cents: p.priceCents, min_quantity: p.minQuantity, position: i })
      .returning('id')
      .executeTakeFirstOrThrow();
    productIds.push(r.id);
  }
  let contractId: number | null = null;
  if (spec.contract) {
    const c = await db.insertInto('contracts').values({ package_id: pkg.id, name: spec.contract.name, term_months: spec.contract.termMonths }).returning('id').executeTakeFirstOrThrow();
    contractId = c.id;
  }
  return { packageId: pkg.id, productIds, contractId };
}

/** Count and sum of every charge and invoice: what two datastores must agree on. */
export async function totals(t: TestBackend) {
  const db = t.backend.datastore.db;
  const c = await db.selectFrom('charges').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_cents').as('amount'), eb.fn.sum<number>('tax_cents').as('tax')]).executeTakeFirstOrThrow();
  const i = await db.selectFrom('invoices').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('total_cents').as('total')]).executeTakeFirstOrThrow();
  return { charges: Number(c.n), amount: Number(c.amount ?? 0), tax: Number(c.tax ?? 0), invoices: Number(i.n), invoiceTotal: Number(i.total ?? 0) };
}
