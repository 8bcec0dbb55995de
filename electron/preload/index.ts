import { contextBridge, ipcRenderer } from 'electron';
import type { Envelope } from '../../shared/api/errors';

/**
 * The only thing the renderer gets from the main process: one typed call into the API contract.
 * No ipcRenderer pass-through, no Node.
 */
const towerline = {
  invoke: (procedure: string, input: unknown, staffId?: number | null): Promise<Envelope<unknown>> =>
    ipcRenderer.invoke('towerline:invoke', procedure, input, staffId ?? null),
  print: (options: { pdf: boolean; title?: string }): Promise<Envelope<unknown>> => ipcRenderer.invoke('towerline:print', options),
};

export type TowerlineBridge = typeof towerline;

contextBridge.exposeInMainWorld('towerline', towerline);
