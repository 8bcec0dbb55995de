import type { SubscribersTables } from '../subscribers/tables';
import type { MigrationsTable, SequencesTable } from './tables';

/** The whole database as kysely sees it: each domain area declares its own tables. */
export interface Database extends SubscribersTables {
  sequences: SequencesTable;
  towerline_migrations: MigrationsTable;
}
