import type { Envelope } from '../../../../shared/api/errors';
import { ApiError } from '../../../../shared/api/errors';

/** What the desktop preload adds for printing (electron/preload): the window prints itself. */
interface PrintBridge {
  print(options: { pdf: boolean; title?: string }): Promise<Envelope<unknown>>;
}

function printBridge(): PrintBridge | null {
  const candidate = (window as unknown as { towerline?: Partial<PrintBridge> }).towerline;
  return candidate && typeof candidate.print === 'function' ? (candidate as PrintBridge) : null;
}

/** In the desktop app a PDF is saved by the app itself; in a browser its print dialog offers "Save as PDF". */
export const canSavePdfDirectly = printBridge() !== null;

export type PrintOutcome = { kind: 'printed' } | { kind: 'saved'; path: string } | { kind: 'cancelled' };

/**
 * Prints the page on screen (the print view): Electron's print dialog or printToPDF in the app,
 * the browser's own print dialog in web mode.
 */
export async function printThisPage(options: { pdf: boolean; title: string }): Promise<PrintOutcome> {
  const bridge = printBridge();
  if (!bridge) {
    window.print();
    return { kind: 'printed' };
  }
  const answer = await bridge.print(options);
  if (!answer.ok) throw ApiError.fromBody(answer.error);
  const value = answer.value as { saved?: string | null; printed?: boolean } | undefined;
  if (options.pdf) return value?.saved ? { kind: 'saved', path: value.saved } : { kind: 'cancelled' };
  return { kind: 'printed' };
}

/** Addresses of the print view (routes under #/print). */
export const printRoutes = {
  statement: (subscriptionId: number, from: string, to: string) => `/print/statement/${subscriptionId}?${new URLSearchParams({ from, to })}`,
  invoice: (invoiceId: number) => `/print/invoice/${invoiceId}`,
  statements: (from: string, to: string) => `/print/statements?${new URLSearchParams({ from, to })}`,
  notice: (noticeId: number) => `/print/notice/${noticeId}`,
  notices: (from: string, to: string) => `/print/notices?${new URLSearchParams({ from, to })}`,
};
