import type { ProcedureMap } from './procedure';

/** Plans, packages, tax classes: what is sold. */
export const catalogApi = {} satisfies ProcedureMap;
