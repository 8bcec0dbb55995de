import type { ColumnType, Generated } from 'kysely';

/** A column the database fills when a row is created. */
export type CreatedAt = ColumnType<string, string, never>;

/** Named counters for identifiers that must never be reused (unique IDs, document numbers). */
export interface SequencesTable {
  name: string;
  next_value: number;
}

export interface MigrationsTable {
  id: string;
  checksum: string;
  applied_at: string;
}

export type Id = Generated<number>;
