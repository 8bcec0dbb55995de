import type { ProcedureMap } from './procedure';

/** Subscriber services, devices, hotspot users and scheduled changes: what a subscriber has. */
export const servicesApi = {} satisfies ProcedureMap;
