import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAppUrl } from './trust';

const packaged = 'file:///opt/Towerline/resources/app.asar/out/renderer/index.html';

describe('the window trusts only the app itself', () => {
  it('accepts the app page and any route inside it', () => {
    expect(isAppUrl(packaged, packaged)).toBe(true);
    expect(isAppUrl(`${packaged}#/subscriptions/12/summary`, packaged)).toBe(true);
  });

  it('refuses other local files, even beside the app', () => {
    expect(isAppUrl('file:///opt/Towerline/resources/app.asar/out/renderer/other.html', packaged)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', packaged)).toBe(false);
    expect(isAppUrl('file:///home/me/Downloads/invoice.html#/x', packaged)).toBe(false);
  });

  it('refuses web pages, look-alike hosts and text that is not a URL', () => {
    expect(isAppUrl('https://evil.example/', packaged)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', packaged)).toBe(false);
  });

  it('treats the dev server root and its index.html as the same page', () => {
    expect(isAppUrl('http://localhost:5173/#/staff', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});

describe('links out of the app', () => {
  it('opens only allow-listed https sites in the system browser', () => {
    expect(isAllowedExternalUrl('https://www.openstreetmap.org/?mlat=44.1&mlon=-71.2')).toBe(true);
    expect(isAllowedExternalUrl('http://www.openstreetmap.org/')).toBe(false);
    expect(isAllowedExternalUrl('https://openstreetmap.org.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
  });
});
