/**
 * HTML → PDF outside Electron (scripts, the web host, tests): the system's Chromium driven by
 * playwright-core. Inside the desktop app, the window's own printToPDF does the same from the same HTML.
 */
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TOWERLINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface PdfOptions {
  /** Also keep a PNG of the first page (for tests and previews). */
  screenshotPath?: string;
}

/** Renders one HTML document to PDF bytes; page size and page numbers come from the document's @page rules. */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: false });
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}
