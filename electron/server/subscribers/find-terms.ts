import { normalizeMac } from '../../../shared/domain/mac';
import { formatIpv4, parseIpv4 } from '../../../shared/domain/ipv4';

/** An exact value, or what a value starts with (staff still typing). */
export type Lookup = { exact: string } | { prefix: string };

/**
 * What a Ctrl+K query could be besides a name: decided from its shape alone, so each kind costs
 * one index lookup and a query that cannot be an IP never touches the IP index.
 */
export interface FindTerms {
  ip: Lookup | null;
  /** Normalized AA:BB:CC:DD:EE:FF. */
  mac: string | null;
  /** One word that may start a login, voucher code or device serial. */
  identifier: string | null;
  /** Invoice numbers are INV-000123; "INV-123", "inv 123" and "000123" name the same one. */
  invoice: { exact: string; prefix: string | null } | null;
}

const PARTIAL_IP = /^\d{1,3}(\.\d{0,3}){1,3}$/;

export function findTerms(query: string): FindTerms {
  const text = query.trim();
  const single = text.length >= 2 && !/\s/.test(text) ? text : null;

  const ipValue = parseIpv4(text);
  const ip: Lookup | null = ipValue !== null ? { exact: formatIpv4(ipValue) } : PARTIAL_IP.test(text) ? { prefix: text } : null;

  const invoiceMatch = /^(?:inv(?:oice)?[\s#-]*)?(\d+)$/i.exec(text);
  let invoice: FindTerms['invoice'] = null;
  if (invoiceMatch) {
    const digits = invoiceMatch[1]!;
    const named = !/^\d+$/.test(text);
    // A bare number of one or two digits is far more often a unique ID being typed.
    if (named || digits.length >= 3) {
      const n = Number(digits);
      invoice = {
        exact: `INV-${String(n).padStart(6, '0')}`,
        // "INV-0001" while still typing INV-000123.
        prefix: digits.length < 6 && digits.startsWith('0') ? `INV-${digits}` : null,
      };
    }
  }

  return { ip, mac: normalizeMac(text), identifier: single, invoice };
}
