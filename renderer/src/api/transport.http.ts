import type { ApiErrorBody, Envelope } from '../../../shared/api/errors';
import type { Transport } from '../../../shared/api/client';
import { reportAccessRefused } from './access';

/**
 * The web host's transport: `POST /api/<procedure>` with a per-launch token.
 * The token arrives once in the address (`?token=…`, printed by the host at start); it is kept in
 * sessionStorage for reloads of this tab and removed from the address bar so it does not linger in
 * history, bookmarks or screenshots. The host also sets it as a session cookie, so other tabs of
 * this browser session (a Ctrl+click, a pasted link) get in without it.
 */
const TOKEN_KEY = 'towerline.token';

export function takeTokenFromAddress(location: Location = window.location, history: History = window.history): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // No sessionStorage: the token still works until the tab is reloaded.
    }
    params.delete('token');
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function failure(code: ApiErrorBody['code'], message: string): Envelope<unknown> {
  return { ok: false, error: { code, message } };
}

function isErrorBody(value: unknown): value is { error: ApiErrorBody } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as ApiErrorBody).message === 'string';
}

export function httpTransport(options: { token: string | null; staffId: () => number | null; baseUrl?: string }): Transport {
  const base = options.baseUrl ?? '/api/';
  return {
    async call(procedure, input) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const staffId = options.staffId();
      if (staffId !== null) headers['x-towerline-staff'] = String(staffId);
      let response: Response;
      try {
        response = await fetch(`${base}${encodeURIComponent(procedure)}`, {
          method: 'POST',
          headers,
          body: input === undefined ? '' : JSON.stringify(input),
          cache: 'no-store',
        });
      } catch {
        return failure('internal', 'Cannot reach the Towerline web host. Is it still running?');
      }
      let body: unknown;
      try {
        const text = await response.text();
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return failure('internal', `The web host answered ${response.status} with something that is not JSON.`);
      }
      if (response.ok) return { ok: true, value: body ?? undefined };
      if (response.status === 401) {
        reportAccessRefused();
        return failure('unauthorized', 'This browser is not signed in to Towerline. Open the address the web host printed at start.');
      }
      if (isErrorBody(body)) return { ok: false, error: body.error };
      return failure('internal', `The web host answered ${response.status}.`);
    },
  };
}
