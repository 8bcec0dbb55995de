/**
 * Printable documents: invoices and statements share one page layout (the ISP's identity and logo,
 * the subscriber's address, page numbers from CSS @page counters, which Chromium's print and PDF
 * output honour). Every piece of text that came from a person is escaped.
 */
import type { z } from 'zod';
import type { billingSettings, invoice, statement } from '../../../../shared/api/billing';
import { type Cents, type MoneyFormat, formatMoney } from '../../../../shared/domain/money';
import type { IsoDate } from '../rules/dates';

type Settings = z.output<typeof billingSettings>;
type Invoice = z.output<typeof invoice>;
type Statement = z.output<typeof statement>;

export interface Addressee {
  name: string;
  uniqueId: string;
  contactName: string;
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "November 14, 2026": fixed English and no time zone, so a printed date never shifts. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

const STYLE = `
@page { size: Letter; margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt system-ui, sans-serif; color: #555; } }
* { box-sizing: border-box; }
@media screen { body { max-width: 216mm; margin: 0 auto !important; padding: 12mm 14mm; } .document + .document { border-top: 1px dashed #bbb; margin-top: 12mm; padding-top: 12mm; } }
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; }
.document + .document { break-before: page; }
header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 10mm; }
header .isp { max-width: 60%; }
header .isp img { max-height: 22mm; max-width: 60mm; display: block; margin-bottom: 3mm; }
header .isp .name { font-size: 14pt; font-weight: 600; }
header .title { text-align: right; }
header .title h1 { font-size: 18pt; margin: 0 0 2mm 0; letter-spacing: 0.02em; }
.meta td { padding: 0 0 0 4mm; text-align: right; }
.meta td:first-child { color: #555; }
.to { margin-bottom: 8mm; }
.to .label { color: #555; font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.05em; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines th { text-align: left; font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.04em; color: #555; border-bottom: 1px solid #999; padding: 1.5mm 2mm; }
table.lines td { border-bottom: 1px solid #e3e3e3; padding: 1.5mm 2mm; vertical-align: top; }
table.lines tr { break-inside: avoid; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.explain { color: #555; font-size: 8.5pt; }
.date { white-space: nowrap; }
table.totals { margin-left: auto; margin-top: 4mm; border-collapse: collapse; min-width: 70mm; }
table.totals td { padding: 1mm 2mm; }
table.totals tr.grand td { border-top: 1.5px solid #1a1a1a; font-weight: 700; font-size: 11pt; }
.note { margin-top: 8mm; color: #555; font-size: 9pt; }
`;

function lines(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => !!p && p.trim() !== '').map(escapeHtml).join('<br>');
}

export function ispBlock(s: Settings): string {
  const cityLine = [s.ispCity, s.ispRegion, s.ispPostalCode].filter(Boolean).join(' ');
  const logo = s.ispLogo ? `<img src="${escapeHtml(s.ispLogo)}" alt="">` : '';
  return `<div class="isp">${logo}<div class="name">${escapeHtml(s.ispName)}</div>${lines(s.ispStreet, cityLine, s.ispCountry, s.ispPhone, s.ispEmail)}</div>`;
}

export function toBlock(a: Addressee): string {
  const cityLine = [a.city, a.region, a.postalCode].filter(Boolean).join(' ');
  return `<div class="to"><div class="label">Bill to</div>${lines(a.contactName, a.contactName === a.name ? null : a.name, a.street, cityLine, a.country)}<br><span class="explain">Account ${escapeHtml(a.uniqueId)}</span></div>`;
}

export function meta(rows: [string, string][]): string {
  return `<table class="meta">${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** A whole HTML document around one or more document bodies (one per printed document). */
export function page(title: string, bodies: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${bodies.join('\n')}</body></html>`;
}

export function invoiceBody(inv: Invoice, settings: Settings, to: Addressee): string {
  const money: MoneyFormat = { currency: settings.currencyCode, minorDigits: settings.minorDigits };
  const $ = (c: Cents | number) => escapeHtml(formatMoney(c as Cents, money));
  const title = inv.status === 'closed' ? `Invoice ${inv.number}` : 'Invoice (draft, not yet issued)';
  const metaRows: [string, string][] = inv.status === 'closed' ? [['Invoice', inv.number ?? ''], ['Date', longDate(inv.issueDate!)], ['Due', longDate(inv.dueDate!)]] : [['Status', 'Draft']];
  const rows = inv.charges
    .map((c) => {
      const day = (d: string) => `<span class="date">${escapeHtml(longDate(d))}</span>`;
      const period = c.periodStart && c.periodLast && c.kind === 'recurring' ? `${day(c.periodStart)} – ${day(c.periodLast)}` : c.periodStart ? day(c.periodStart) : '';
      return `<tr><td>${escapeHtml(c.description)}<div class="explain">${escapeHtml(c.explanation)}</div></td><td>${period}</td><td class="num">${escapeHtml(c.taxRatePercent ? `${c.taxRatePercent}%` : '—')}</td><td class="num">${$(c.amountCents)}</td></tr>`;
    })
    .join('');
  const taxRows = inv.taxes.map((t) => `<tr><td>Tax ${escapeHtml(t.ratePercent)}% on ${$(t.taxableCents)}</td><td class="num">${$(t.taxCents)}</td></tr>`).join('');
  const settled = inv.status === 'closed'
    ? `${inv.creditedCents ? `<tr><td>Credited</td><td class="num">−${$(inv.creditedCents)}</td></tr>` : ''}${inv.paidCents ? `<tr><td>Paid</td><td class="num">−${$(inv.paidCents)}</td></tr>` : ''}<tr class="grand"><td>Amount due</td><td class="num">${$(inv.openBalanceCents)}</td></tr>`
    : '';
  return `<section class="document">
<header>${ispBlock(settings)}<div class="title"><h1>${escapeHtml(title)}</h1>${meta(metaRows)}</div></header>
${toBlock(to)}
<table class="lines"><thead><tr><th>Description</th><th>Period</th><th class="num">Tax</th><th class="num">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<table class="totals"><tr><td>Subtotal</td><td class="num">${$(inv.subtotalCents)}</td></tr>${taxRows}<tr class="grand"><td>Total</td><td class="num">${$(inv.totalCents)}</td></tr>${settled}</table>
${inv.status === 'closed' ? `<p class="note">Please pay by ${escapeHtml(longDate(inv.dueDate!))}, quoting ${escapeHtml(inv.number ?? '')}. Amounts in ${escapeHtml(settings.currencyCode)}.</p>` : ''}
</section>`;
}

export function statementBody(st: Statement, settings: Settings, to: Addressee, issuedOn: IsoDate): string {
  const money: MoneyFormat = { currency: settings.currencyCode, minorDigits: settings.minorDigits };
  const $ = (c: Cents | number) => escapeHtml(formatMoney(c as Cents, money));
  const rows = st.rows
    .map(
      (r) =>
        `<tr><td class="date">${escapeHtml(longDate(r.date))}</td><td>${escapeHtml(r.description)}</td><td class="num">${r.debitCents ? $(r.debitCents) : ''}</td><td class="num">${r.creditCents ? $(r.creditCents) : ''}</td><td class="num">${$(r.balanceCents)}</td></tr>`,
    )
    .join('');
  const owes = st.closingBalanceCents > 0 ? 'Balance due on' : st.closingBalanceCents < 0 ? 'Credit in your favour on' : 'Balance on';
  return `<section class="document">
<header>${ispBlock(settings)}<div class="title"><h1>Statement</h1>${meta([
    ['Period', `${longDate(st.from)} – ${longDate(st.to)}`],
    ['Issued', longDate(issuedOn)],
  ])}</div></header>
${toBlock(to)}
<table class="lines"><thead><tr><th>Date</th><th>Description</th><th class="num">Charges</th><th class="num">Credits</th><th class="num">Balance</th></tr></thead><tbody>
<tr><td class="date">${escapeHtml(longDate(st.from))}</td><td>Opening balance</td><td></td><td></td><td class="num">${$(st.openingBalanceCents)}</td></tr>
${rows}
</tbody></table>
<table class="totals"><tr><td>Opening balance</td><td class="num">${$(st.openingBalanceCents)}</td></tr><tr class="grand"><td>${owes} ${escapeHtml(longDate(st.closingBalanceCents > 0 && st.balanceDueOn ? st.balanceDueOn : st.to))}</td><td class="num">${$(Math.abs(st.closingBalanceCents))}</td></tr></table>
<p class="note">Amounts in ${escapeHtml(settings.currencyCode)}. ${escapeHtml(st.rows.length === 0 ? 'No activity in this period.' : `${st.rows.length} ${st.rows.length === 1 ? 'entry' : 'entries'} in this period.`)}</p>
</section>`;
}

