/** Loads what a printed document needs and renders it with the shared templates (html.ts). */
import { ApiError } from '../../../../shared/api/errors';
import type { IsoDate } from '../../../../shared/domain/types';
import type { Db } from '../../db/open';
import { getInvoice } from '../invoices';
import { allStatements, getStatement } from '../ledger';
import { getBillingSettings } from '../settings';
import { type Addressee, invoiceBody, page, statementBody } from './html';

export async function addressees(db: Db, subscriptionIds: number[]): Promise<Map<number, Addressee>> {
  const out = new Map<number, Addressee>();
  for (let i = 0; i < subscriptionIds.length; i += 500) {
    const rows = await db
      .selectFrom('subscriptions as s')
      .innerJoin('contacts as c', 'c.id', 's.contact_id')
      .select(['s.id', 's.name', 's.unique_id', 'c.first_name', 'c.last_name', 'c.street', 'c.city', 'c.region', 'c.postal_code', 'c.country'])
      .where('s.id', 'in', subscriptionIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      out.set(r.id, {
        name: r.name,
        uniqueId: r.unique_id,
        contactName: `${r.first_name} ${r.last_name}`,
        street: r.street,
        city: r.city,
        region: r.region,
        postalCode: r.postal_code,
        country: r.country,
      });
    }
  }
  return out;
}

export async function addresseeOf(db: Db, subscriptionId: number): Promise<Addressee> {
  const a = (await addressees(db, [subscriptionId])).get(subscriptionId);
  if (!a) throw new ApiError('not_found', `Subscription ${subscriptionId} does not exist.`);
  return a;
}

export async function invoiceHtml(db: Db, invoiceId: number): Promise<string> {
  const inv = await getInvoice(db, invoiceId);
  const [settings, to] = await Promise.all([getBillingSettings(db), addresseeOf(db, inv.subscriptionId)]);
  return page(inv.number ? `Invoice ${inv.number}` : 'Draft invoice', [invoiceBody(inv, settings, to)]);
}

export async function statementHtml(db: Db, subscriptionId: number, from: IsoDate, to: IsoDate, today: IsoDate): Promise<string> {
  const st = await getStatement(db, subscriptionId, from, to);
  const [settings, addressee] = await Promise.all([getBillingSettings(db), addresseeOf(db, subscriptionId)]);
  return page(`Statement ${addressee.uniqueId}`, [statementBody(st, settings, addressee, today)]);
}

/** "All statements for this month": one document, each statement starting on a new page. */
export async function batchStatementHtml(db: Db, from: IsoDate, to: IsoDate, today: IsoDate): Promise<{ html: string; count: number }> {
  const statements = await allStatements(db, from, to);
  const [settings, names] = await Promise.all([getBillingSettings(db), addressees(db, statements.map((s) => s.subscriptionId))]);
  const bodies = statements.map((st) => statementBody(st, settings, names.get(st.subscriptionId)!, today));
  return { html: page(`Statements ${from} – ${to}`, bodies), count: statements.length };
}
