import { type App, type Session, type WebContents, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/web/server';
import { isAllowedExternalUrl, isAppUrl } from './trust';

/**
 * Hardening for every window (Electron's security checklist; Actual's security.ts): no navigation
 * away from the app, no new windows, no <webview>. The rules themselves are in trust.ts.
 */
export function harden(app: App, appUrl: () => string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appUrl())) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appUrl())) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/** No camera, microphone, notifications or geolocation prompts; the CSP on every response. */
export function applySessionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
