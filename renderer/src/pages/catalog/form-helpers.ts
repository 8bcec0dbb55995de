import type { UseFormReturnType } from '@mantine/form';
import type { Money } from '../../lib/money';

/**
 * Small conversions between what staff type and what the contract carries, shared by the catalog,
 * network and service forms.
 */

/** "25 Mbit/s", "512 kbit/s", "1 Gbit/s": speeds are stored in kbit/s. */
export function formatKbps(kbps: number | null | undefined): string {
  if (kbps === null || kbps === undefined) return '';
  if (kbps >= 1_000_000 && kbps % 100_000 === 0) return `${kbps / 1_000_000} Gbit/s`;
  if (kbps >= 1000) return `${Number((kbps / 1000).toFixed(2))} Mbit/s`;
  return `${kbps} kbit/s`;
}

/** "25/5 Mbit/s" when both speeds share a unit, else each in its own. */
export function formatSpeeds(down: number | null, up: number | null): string {
  if (down === null && up === null) return '';
  const d = formatKbps(down);
  const u = formatKbps(up);
  const [dv, du] = d.split(' ');
  const [uv, uu] = u.split(' ');
  if (d && u && du === uu) return `${dv}/${uv} ${du}`;
  return `${d || '–'} / ${u || '–'}`;
}

/** A plan's data cap in a list: "300 GB, then 2/1 Mbit/s", "500 GB, then disabled", or "" for none. */
export function formatDataCap(cap: { capGb: number; action: 'disable' | 'throttle'; throttleDownloadKbps: number | null; throttleUploadKbps: number | null } | null): string {
  if (!cap) return '';
  const size = `${cap.capGb.toLocaleString('en-US')} GB`;
  return cap.action === 'disable' ? `${size}, then disabled` : `${size}, then ${formatSpeeds(cap.throttleDownloadKbps, cap.throttleUploadKbps)}`;
}

/** Mbit/s typed (decimals allowed) to whole kbit/s; blank is null. */
export function mbpsToKbps(value: number | string): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.round(value * 1000);
}

export function kbpsToMbps(kbps: number | null | undefined): number | string {
  return kbps === null || kbps === undefined ? '' : kbps / 1000;
}

/** A NumberInput's value: blank is null, text left as typed goes to the contract to refuse. */
export function numberOrNull(value: number | string): number | null {
  return typeof value === 'number' ? value : null;
}

export function payPeriodLabel(months: number): string {
  return months === 1 ? 'Monthly' : months === 12 ? 'Yearly' : `Every ${months} months`;
}

/** How a service bills, as the invoice does it: a one-time product is never "monthly". */
export function billingLabel(ratingMethod: 'recurring' | 'one-time' | 'prepaid-usage', payPeriodMonths: number): string {
  if (ratingMethod === 'one-time') return 'one-time';
  if (ratingMethod === 'prepaid-usage') return 'prepaid';
  return payPeriodLabel(payPeriodMonths).toLowerCase();
}

/**
 * Reads money fields typed as text into cents, putting a parse error at the field it belongs to.
 * Blank becomes null (the contract says Required where one is needed). Returns null when any
 * field could not be read.
 */
export function readMoneyFields<Values extends Record<string, unknown>, K extends string>(
  form: UseFormReturnType<Values>,
  money: Money,
  values: Record<K, unknown>,
  keys: readonly K[],
): Record<K, number | null> | null {
  const out = {} as Record<K, number | null>;
  let ok = true;
  for (const key of keys) {
    const text = String(values[key] ?? '').trim();
    if (!text) {
      out[key] = null;
      continue;
    }
    const parsed = money.parse(text);
    if (parsed.ok) out[key] = parsed.value;
    else {
      form.setFieldError(key, parsed.message);
      ok = false;
    }
  }
  return ok ? out : null;
}

/** Today as YYYY-MM-DD in the user's time zone (dates on services are calendar days, not instants). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
