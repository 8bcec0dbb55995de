import type { z } from 'zod';
import type { billingSettings, billingSettingsFields } from '../../../shared/api/billing';
import { ApiError } from '../../../shared/api/errors';
import { ROUNDING_RULE, type MoneyFormat } from '../../../shared/domain/money';
import type { IsoDate } from '../../../shared/domain/types';
import type { Db } from '../db/open';
import { addDays } from './rules/dates';
import type { WhileSuspended } from './rules/suspension';

type Settings = z.output<typeof billingSettings>;
type Fields = z.output<typeof billingSettingsFields>;

export async function getBillingSettings(db: Db): Promise<Settings> {
  const r = await db.selectFrom('billing_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    currencyCode: r.currency_code,
    minorDigits: r.minor_digits,
    paymentTermsDays: r.payment_terms_days,
    graceDays: r.grace_days,
    whileSuspended: r.while_suspended as WhileSuspended,
    ispName: r.isp_name,
    ispStreet: r.isp_street,
    ispCity: r.isp_city,
    ispRegion: r.isp_region,
    ispPostalCode: r.isp_postal_code,
    ispCountry: r.isp_country,
    ispPhone: r.isp_phone,
    ispEmail: r.isp_email,
    ispLogo: r.isp_logo,
    billingStartDate: r.billing_start_date,
    roundingRule: ROUNDING_RULE,
    updatedAt: r.updated_at,
  };
}

export async function updateBillingSettings(db: Db, patch: Partial<Fields>, now: Date): Promise<Settings> {
  const current = await getBillingSettings(db);
  const currencyChanges = (patch.currencyCode !== undefined && patch.currencyCode !== current.currencyCode) || (patch.minorDigits !== undefined && patch.minorDigits !== current.minorDigits);
  if (currencyChanges) {
    // Stored amounts are minor units of the installation currency: changing it would change every amount.
    const charged = await db.selectFrom('charges').select('id').limit(1).executeTakeFirst();
    const paid = await db.selectFrom('payments').select('id').limit(1).executeTakeFirst();
    if (charged || paid) {
      const message = 'The currency cannot change once amounts have been billed or received in it.';
      throw new ApiError('validation', message, { ...(patch.currencyCode !== undefined ? { currencyCode: message } : {}), ...(patch.minorDigits !== undefined ? { minorDigits: message } : {}) });
    }
  }
  const columns = {
    currency_code: patch.currencyCode,
    minor_digits: patch.minorDigits,
    payment_terms_days: patch.paymentTermsDays,
    grace_days: patch.graceDays,
    while_suspended: patch.whileSuspended,
    isp_name: patch.ispName,
    isp_street: patch.ispStreet,
    isp_city: patch.ispCity,
    isp_region: patch.ispRegion,
    isp_postal_code: patch.ispPostalCode,
    isp_country: patch.ispCountry,
    isp_phone: patch.ispPhone,
    isp_email: patch.ispEmail,
    isp_logo: patch.ispLogo,
    billing_start_date: patch.billingStartDate,
  };
  const set = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  await db.updateTable('billing_settings').set({ ...set, updated_at: now.toISOString() }).where('id', '=', 1).execute();
  return getBillingSettings(db);
}

export async function billingStartDate(db: Db): Promise<IsoDate | null> {
  const r = await db.selectFrom('billing_settings').select('billing_start_date').where('id', '=', 1).executeTakeFirstOrThrow();
  return r.billing_start_date as IsoDate | null;
}

export async function moneyFormat(db: Db): Promise<MoneyFormat> {
  const r = await db.selectFrom('billing_settings').select(['currency_code', 'minor_digits']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { currency: r.currency_code, minorDigits: r.minor_digits };
}

/** The calendar day of an instant, in UTC like every billing date (rules/dates.ts). */
export function dayOf(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10) as IsoDate;
}

export function dueDateFor(issueDate: IsoDate, paymentTermsDays: number): IsoDate {
  return addDays(issueDate, paymentTermsDays);
}

export function documentNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}
