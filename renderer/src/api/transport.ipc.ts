import type { Envelope } from '../../../shared/api/errors';
import type { Transport } from '../../../shared/api/client';

/** What the Electron preload exposes as `window.towerline` (one fixed object, no raw ipcRenderer). */
export interface TowerlineBridge {
  invoke(procedure: string, input: unknown, staffId?: number | null): Promise<Envelope<unknown>>;
}

export function desktopBridge(): TowerlineBridge | null {
  const candidate = (window as unknown as { towerline?: Partial<TowerlineBridge> }).towerline;
  return candidate && typeof candidate.invoke === 'function' ? (candidate as TowerlineBridge) : null;
}

export function ipcTransport(bridge: TowerlineBridge, staffId: () => number | null): Transport {
  return {
    async call(procedure, input) {
      try {
        return await bridge.invoke(procedure, input, staffId());
      } catch (error) {
        // invoke only rejects when the main process itself failed; its message is all there is.
        return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : 'The desktop back end did not answer.' } };
      }
    },
  };
}
