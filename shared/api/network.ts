import type { ProcedureMap } from './procedure';

/** Routers (NAS) and IPv4 networks: address management. */
export const networkApi = {} satisfies ProcedureMap;
