import { type ApiClient, type Transport, createClient } from '../../../shared/api/client';
import { getActingStaffId } from './acting-staff';
import { httpTransport, takeTokenFromAddress } from './transport.http';
import { desktopBridge, ipcTransport } from './transport.ipc';

export type Platform = 'desktop' | 'web';

function pickTransport(): { transport: Transport; platform: Platform } {
  const bridge = desktopBridge();
  if (bridge) return { transport: ipcTransport(bridge, getActingStaffId), platform: 'desktop' };
  return { transport: httpTransport({ token: takeTokenFromAddress(), staffId: getActingStaffId }), platform: 'web' };
}

const picked = pickTransport();

/** The one API client of the renderer: the same typed calls over Electron IPC or HTTP. */
export const api: ApiClient = createClient(picked.transport);
export const platform: Platform = picked.platform;

export { ApiError } from '../../../shared/api/errors';
export type { InputOf, OutputOf, ProcedureName } from '../../../shared/api/contract';
