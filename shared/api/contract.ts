import type { z } from 'zod';
import type { ProcedureMap } from './procedure';
import { backupsApi } from './backups';
import { billingApi } from './billing';
import { catalogApi } from './catalog';
import { ioApi } from './io';
import { dunningApi } from './dunning';
import { networkApi } from './network';
import { networkSyncApi } from './network-sync';
import { freeradiusApi } from './freeradius';
import { backgroundApi } from './background';
import { radiusApi } from './radius';
import { servicesApi } from './services';
import { subscribersApi } from './subscribers';
import { movesApi } from './moves';
import { usageApi } from './usage';
import { hotspotApi } from './hotspot';
import { dashboardApi } from './dashboard';

/**
 * The whole API: procedure name (`<area>.<verb>`) → input and output schemas.
 * Both transports (Electron IPC and HTTP) carry exactly this contract.
 */
export const contract = {
  ...subscribersApi,
  ...catalogApi,
  ...servicesApi,
  ...networkApi,
  ...billingApi,
  ...networkSyncApi,
  ...freeradiusApi,
  ...backgroundApi,
  ...backupsApi,
  ...ioApi,
  ...radiusApi,
  ...movesApi,
  ...dunningApi,
  ...usageApi,
  ...hotspotApi,
  ...dashboardApi,
} satisfies ProcedureMap;

export type Contract = typeof contract;
export type ProcedureName = keyof Contract;
/** What a caller may send (defaults still optional). */
export type InputOf<P extends ProcedureName> = z.input<Contract[P]['input']>;
/** What a handler receives (defaults applied, text trimmed). */
export type ParsedInputOf<P extends ProcedureName> = z.output<Contract[P]['input']>;
export type OutputOf<P extends ProcedureName> = z.output<Contract[P]['output']>;

export function isProcedureName(name: string): name is ProcedureName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
