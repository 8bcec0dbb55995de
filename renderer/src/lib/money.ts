import { useCallback } from 'react';
import { type Cents, type CentsTotal, type MoneyParseResult, formatMoney, tryParseMoney } from '../../../shared/domain/money';
import { useApiQuery } from '../api/hooks';

export interface Money {
  currency: string;
  minorDigits: number;
  /** Cents to "$1,234.50"; exact, no float in between. */
  format(amount: number): string;
  /** A total across subscriptions (exact integer-cents text) to "$1,234.50"; exact past 2^53. */
  formatTotal(amount: CentsTotal): string;
  /** What was typed to cents, or why it is not an amount. */
  parse(text: string): MoneyParseResult;
  /** Cents back to the text a money input edits ("1234.50"). */
  toText(amount: number): string;
}

/**
 * The installation's currency, from the billing settings. Amounts are never shown with a guessed
 * currency: until the settings answer, `money` is null and callers show a loader.
 */
export function useMoney(): { money: Money | null; error: Error | null } {
  const settings = useApiQuery('billingSettings.get', {}, { staleTime: 5 * 60_000 });
  const currency = settings.data?.currencyCode;
  const minorDigits = settings.data?.minorDigits;
  const format = useCallback((amount: number) => formatMoney(amount as Cents, { currency: currency ?? 'USD', minorDigits: minorDigits ?? 2 }), [currency, minorDigits]);
  const formatTotal = useCallback((amount: CentsTotal) => formatMoney(amount, { currency: currency ?? 'USD', minorDigits: minorDigits ?? 2 }), [currency, minorDigits]);
  if (currency === undefined || minorDigits === undefined) return { money: null, error: settings.error };
  return {
    money: {
      currency,
      minorDigits,
      format,
      formatTotal,
      parse: (text) => tryParseMoney(text, minorDigits),
      toText: (amount) => centsToText(amount, minorDigits),
    },
    error: null,
  };
}

/** Integer arithmetic on a safe integer is exact: whole units and the remainder, padded. */
export function centsToText(amount: number, minorDigits: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (minorDigits === 0) return `${sign}${abs}`;
  const factor = 10 ** minorDigits;
  return `${sign}${Math.floor(abs / factor)}.${String(abs % factor).padStart(minorDigits, '0')}`;
}
