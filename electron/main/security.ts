import { type App, type Session, type WebContents, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/web/server';

/** Links staff may follow out of the app, opened in the system browser, never inside it. */
const EXTERNAL_ALLOWED = [/^https:\/\/(www\.)?openstreetmap\.org\//, /^https:\/\/github\.com\/towerline\//];

export function isTrustedAppUrl(url: string, rendererUrl: string | undefined): boolean {
  if (rendererUrl && url.startsWith(rendererUrl)) return true;
  return url.startsWith('file://');
}

/** Hardening for every window (Electron's security checklist; Actual's security.ts). */
export function harden(app: App, rendererUrl: string | undefined): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedAppUrl(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedAppUrl(url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (EXTERNAL_ALLOWED.some((re) => re.test(url))) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function applySessionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
