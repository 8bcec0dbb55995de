/**
 * Which URLs the desktop window may show or accept calls from: pure rules, tested without Electron.
 * The app is exactly one document (the renderer's index.html, or the dev server in development);
 * everything after `#` is the app's own routing.
 */

/** The document part of a URL: no hash, no query. Null when the text is not a URL. */
function documentOf(url: string): string | null {
  try {
    const u = new URL(url);
    // "/" and "/index.html" are the same page on the dev server.
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/index\.html$/, '/')}`;
  } catch {
    return null;
  }
}

/** True when `url` is the app's own page (any route inside it), nothing else, not even another local file. */
export function isAppUrl(url: string, appUrl: string): boolean {
  const doc = documentOf(url);
  const app = documentOf(appUrl);
  if (!doc || !app) return false;
  return doc === app;
}

/** Links staff may follow out of the app: opened in the system browser, never inside the window. */
const EXTERNAL_ALLOWED = [/^https:\/\/(www\.)?openstreetmap\.org\//, /^https:\/\/github\.com\/towerline\//];

export function isAllowedExternalUrl(url: string): boolean {
  return EXTERNAL_ALLOWED.some((re) => re.test(url));
}
