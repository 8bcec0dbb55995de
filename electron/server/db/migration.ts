import type { Compilable, Kysely, RawBuilder } from 'kysely';

/** Anything a migration may run: schema builders, query builders or `sql` templates. */
export type MigrationStep = Compilable | RawBuilder<unknown>;

/**
 * A migration is a list of statements built with kysely. Because it is data, not a function
 * body, the runner can compile it and checksum the exact SQL: an edited landed migration
 * is caught at start-up instead of silently diverging between installations.
 */
export interface Migration {
  /** `NNNN-what-it-does`; applied in list order, recorded by this id. */
  id: string;
  steps(db: Kysely<any>): MigrationStep[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}
