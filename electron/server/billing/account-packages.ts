/**
 * Account packages (DOMAIN.md, "Account package"): a package provisioned to a subscription.
 * - Provisioning adds the package's products that have a minimum quantity, as services.
 * - An end date pulls in the end dates of its services that end later (or never).
 * - The start date moves only when every product is one-time or prepaid usage; the charges already
 *   on open invoices are then re-generated at the new date and re-rated.
 * - Deleting is refused while any of its charges is on a closed invoice; otherwise its charges leave
 *   their open invoices, and an automatically created invoice left without lines is deleted too.
 */
import type { z } from 'zod';
import type { accountPackage } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import type { IsoDate } from '../../../shared/domain/types';
import type { Actor } from '../api/context';
import type { Db } from '../db/open';
import { deleteEmptyAutomaticInvoices, rerateInvoice } from './invoices';
import { settleServiceEnds } from './service-ends';
import { dayOf } from './settings';

type AccountPackage = z.output<typeof accountPackage>;

export async function getAccountPackage(db: Db, id: number): Promise<AccountPackage> {
  const [ap] = await accountPackagesWhere(db, { id });
  if (!ap) throw new ApiError('not_found', `Account package ${id} does not exist.`);
  return ap;
}

export function listAccountPackages(db: Db, subscriptionId: number): Promise<AccountPackage[]> {
  return accountPackagesWhere(db, { subscriptionId });
}

async function accountPackagesWhere(db: Db, filter: { id?: number; subscriptionId?: number }): Promise<AccountPackage[]> {
  let q = db
    .selectFrom('account_packages as ap')
    .innerJoin('packages as p', 'p.id', 'ap.package_id')
    .leftJoin('contracts as c', 'c.id', 'ap.contract_id')
    .select(['ap.id', 'ap.subscription_id', 'ap.package_id', 'p.name as package_name', 'ap.contract_id', 'c.name as contract_name', 'ap.start_date', 'ap.end_date']);
  if (filter.id !== undefined) q = q.where('ap.id', '=', filter.id);
  if (filter.subscriptionId !== undefined) q = q.where('ap.subscription_id', '=', filter.subscriptionId);
  const aps = await q.orderBy('ap.start_date', 'desc').orderBy('ap.id', 'desc').execute();
  if (aps.length === 0) return [];
  const ids = aps.map((a) => a.id);
  const [services, counts] = await Promise.all([
    db
      .selectFrom('services as sv')
      .innerJoin('plans as pl', 'pl.id', 'sv.plan_id')
      .select(['sv.id', 'sv.account_package_id', 'sv.plan_id', 'sv.package_product_id', 'sv.description', 'sv.rating_method', 'sv.quantity', 'sv.price_cents', 'pl.price_cents as plan_price_cents', 'sv.start_date', 'sv.end_date', 'sv.status'])
      .where('sv.account_package_id', 'in', ids)
      .orderBy('sv.id')
      .execute(),
    db
      .selectFrom('charges as ch')
      .innerJoin('invoices as i', 'i.id', 'ch.invoice_id')
      .select(['ch.account_package_id', 'i.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('ch.account_package_id', 'in', ids)
      .groupBy(['ch.account_package_id', 'i.status'])
      .execute(),
  ]);
  const count = (id: number, status: string) => Number(counts.find((c) => c.account_package_id === id && c.status === status)?.n ?? 0);
  return aps.map((a) => ({
    id: a.id,
    subscriptionId: a.subscription_id,
    packageId: a.package_id,
    packageName: a.package_name,
    contractId: a.contract_id,
    contractName: a.contract_name,
    startDate: a.start_date,
    endDate: a.end_date,
    services: services
      .filter((s) => s.account_package_id === a.id)
      .map((s) => ({
        id: s.id,
        planId: s.plan_id,
        packageProductId: s.package_product_id,
        description: s.description,
        ratingMethod: s.rating_method as AccountPackage['services'][number]['ratingMethod'],
        quantity: s.quantity,
        unitPriceCents: s.price_cents ?? s.plan_price_cents,
        startDate: s.start_date,
        endDate: s.end_date,
        status: s.status,
      })),
    closedChargeCount: count(a.id, 'closed'),
    openChargeCount: count(a.id, 'open'),
  }));
}

async function checkContract(db: Db, packageId: number, contractId: number | null): Promise<void> {
  if (contractId === null) return;
  const c = await db.selectFrom('contracts').select(['id', 'package_id']).where('id', '=', contractId).executeTakeFirst();
  if (!c) throw new ApiError('validation', `No contract ${contractId}.`, { contractId: `No contract ${contractId}` });
  if (c.package_id !== packageId) throw new ApiError('validation', 'That contract belongs to another package.', { contractId: 'Belongs to another package' });
}

/** Adds one product of the package as a service of the account package. */
async function addService(db: Db, ap: { id: number; subscription_id: number; start_date: string; end_date: string | null }, productId: number, quantity: string | null, startDate: string, now: Date): Promise<void> {
  const product = await db
    .selectFrom('package_products as pp')
    .innerJoin('account_packages as ap', 'ap.package_id', 'pp.package_id')
    .leftJoin('plans as pl', 'pl.id', 'pp.plan_id')
    .select(['pp.id', 'pp.plan_id', 'pp.name', 'pp.rating_method', 'pp.price_cents', 'pp.min_quantity', 'pp.unit', 'pl.pay_period_months'])
    .where('pp.id', '=', productId)
    .where('ap.id', '=', ap.id)
    .executeTakeFirst();
  if (!product) throw new ApiError('validation', 'That product is not part of this package.', { packageProductId: 'Not part of this package' });
  if (product.plan_id === null) {
    throw new ApiError('refused', `"${product.name}" has no plan, so it cannot become a subscriber service; give it a plan in the catalog first.`, { packageProductId: 'Has no plan' });
  }
  const stamp = now.toISOString();
  await db
    .insertInto('services')
    .values({
      subscription_id: ap.subscription_id,
      account_package_id: ap.id,
      package_product_id: product.id,
      plan_id: product.plan_id,
      description: product.name,
      quantity: quantity ?? String(product.min_quantity ?? 1),
      unit: product.unit,
      price_cents: product.price_cents,
      pay_period_months: product.pay_period_months ?? 1,
      rating_method: product.rating_method,
      start_date: startDate,
      end_date: ap.end_date,
      status: 'Active',
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
}

export interface ProvisionRequest {
  subscriptionId: number;
  packageId: number;
  contractId: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
  /** Picked products and quantities; undefined: the products with a minimum quantity, at it. */
  products?: { packageProductId: number; quantity?: string | undefined }[] | undefined;
}

export async function provisionPackage(db: Db, req: ProvisionRequest, now: Date): Promise<AccountPackage> {
  const sub = await db.selectFrom('subscriptions').select(['id', 'status']).where('id', '=', req.subscriptionId).executeTakeFirst();
  if (!sub) throw new ApiError('validation', `No subscription ${req.subscriptionId}.`, { subscriptionId: `No subscription ${req.subscriptionId}` });
  const pkg = await db.selectFrom('packages').select(['id', 'active']).where('id', '=', req.packageId).executeTakeFirst();
  if (!pkg) throw new ApiError('validation', `No package ${req.packageId}.`, { packageId: `No package ${req.packageId}` });
  if (!pkg.active) throw new ApiError('validation', 'That package is no longer sold.', { packageId: 'No longer sold' });
  await checkContract(db, req.packageId, req.contractId);
  if (req.endDate && req.endDate < req.startDate) throw new ApiError('validation', 'The end date is before the start date.', { endDate: 'Before the start date' });
  const ap = await db
    .insertInto('account_packages')
    .values({ subscription_id: req.subscriptionId, package_id: req.packageId, contract_id: req.contractId, start_date: req.startDate, end_date: req.endDate, created_at: now.toISOString() })
    .returning(['id', 'subscription_id', 'start_date', 'end_date'])
    .executeTakeFirstOrThrow();
  const products = await db
    .selectFrom('package_products')
    .select(['id', 'plan_id'])
    .where('package_id', '=', req.packageId)
    .where('min_quantity', 'is not', null)
    .where('plan_id', 'is not', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const picked = req.products ?? products.map((p) => ({ packageProductId: p.id, quantity: undefined }));
  for (const p of picked) await addService(db, ap, p.packageProductId, p.quantity ?? null, req.startDate, now);
  return getAccountPackage(db, ap.id);
}

export async function addProduct(db: Db, id: number, packageProductId: number, quantity: string | undefined, now: Date): Promise<AccountPackage> {
  const ap = await db.selectFrom('account_packages').select(['id', 'subscription_id', 'start_date', 'end_date']).where('id', '=', id).executeTakeFirst();
  if (!ap) throw new ApiError('not_found', `Account package ${id} does not exist.`);
  const today = dayOf(now);
  // Added later, a product starts today rather than catching up to the package's start.
  const start = ap.start_date > today ? ap.start_date : today;
  if (ap.end_date && ap.end_date < start) throw new ApiError('refused', 'This account package has ended.');
  await addService(db, ap, packageProductId, quantity ?? null, start, now);
  return getAccountPackage(db, id);
}

export interface AccountPackageChange {
  contractId?: number | null | undefined;
  startDate?: IsoDate | undefined;
  endDate?: IsoDate | null | undefined;
}

export async function updateAccountPackage(db: Db, id: number, change: AccountPackageChange, actor: Actor, now: Date): Promise<AccountPackage> {
  const ap = await db.selectFrom('account_packages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!ap) throw new ApiError('not_found', `Account package ${id} does not exist.`);
  const stamp = now.toISOString();
  if (change.contractId !== undefined) {
    await checkContract(db, ap.package_id, change.contractId);
    await db.updateTable('account_packages').set({ contract_id: change.contractId }).where('id', '=', id).execute();
  }
  const start = change.startDate ?? ap.start_date;
  const end = change.endDate === undefined ? ap.end_date : change.endDate;
  if (end && end < start) throw new ApiError('validation', 'The end date is before the start date.', { endDate: 'Before the start date' });

  if (change.startDate !== undefined && change.startDate !== ap.start_date) {
    const services = await db.selectFrom('services').select(['id', 'rating_method']).where('account_package_id', '=', id).execute();
    if (services.some((s) => s.rating_method === 'recurring')) {
      throw new ApiError('refused', 'The start date can only move when every product of the package is one-time or prepaid usage.', {
        startDate: 'Has recurring products',
      });
    }
    const closed = await chargesOnClosedInvoices(db, id);
    if (closed > 0) throw new ApiError('refused', 'Charges of this package are on a closed invoice; credit them before moving the start date.', { startDate: 'Already invoiced' });
    await db.updateTable('account_packages').set({ start_date: change.startDate }).where('id', '=', id).execute();
    await db.updateTable('services').set({ start_date: change.startDate, updated_at: stamp }).where('account_package_id', '=', id).execute();
    const invoices = await db.selectFrom('charges').select('invoice_id').distinct().where('account_package_id', '=', id).execute();
    for (const inv of invoices) await rerateInvoice(db, inv.invoice_id);
  }

  if (change.endDate !== undefined && change.endDate !== ap.end_date) {
    await db.updateTable('account_packages').set({ end_date: change.endDate }).where('id', '=', id).execute();
    if (change.endDate !== null) {
      // Pulls in the services that end later or never; earlier ends stay as they are. What was
      // already billed past the new end is re-rated on open invoices and credited on closed ones.
      const pulledIn = await db
        .updateTable('services')
        .set({ end_date: change.endDate, updated_at: stamp })
        .where('account_package_id', '=', id)
        .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', change.endDate!)]))
        .returning('id')
        .execute();
      await settleServiceEnds(db, pulledIn.map((s) => s.id), actor, now);
    }
  }
  return getAccountPackage(db, id);
}

async function chargesOnClosedInvoices(db: Db, accountPackageId: number): Promise<number> {
  const r = await db
    .selectFrom('charges as c')
    .innerJoin('invoices as i', 'i.id', 'c.invoice_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('c.account_package_id', '=', accountPackageId),
        eb('c.service_id', 'in', eb.selectFrom('services').select('id').where('account_package_id', '=', accountPackageId)),
      ]),
    )
    .where('i.status', '=', 'closed')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteAccountPackage(db: Db, id: number): Promise<void> {
  const ap = await db.selectFrom('account_packages').select('id').where('id', '=', id).executeTakeFirst();
  if (!ap) throw new ApiError('not_found', `Account package ${id} does not exist.`);
  const closed = await chargesOnClosedInvoices(db, id);
  if (closed > 0) {
    throw new ApiError('refused', `${closed === 1 ? 'A charge' : `${closed} charges`} of this package ${closed === 1 ? 'is' : 'are'} on a closed invoice; the package cannot be deleted (end it instead, or credit the charges).`);
  }
  const serviceIds = (await db.selectFrom('services').select('id').where('account_package_id', '=', id).execute()).map((s) => s.id);
  const charges = await db
    .selectFrom('charges')
    .select(['id', 'invoice_id'])
    .where((eb) => eb.or([eb('account_package_id', '=', id), ...(serviceIds.length ? [eb('service_id', 'in', serviceIds)] : [])]))
    .execute();
  const invoiceIds = [...new Set(charges.map((c) => c.invoice_id))];
  if (charges.length) await db.deleteFrom('charges').where('id', 'in', charges.map((c) => c.id)).execute();
  if (invoiceIds.length) await deleteEmptyAutomaticInvoices(db, invoiceIds);
  if (serviceIds.length) await db.deleteFrom('services').where('id', 'in', serviceIds).execute();
  await db.deleteFrom('account_packages').where('id', '=', id).execute();
}
