import type { BillingTables } from '../billing/tables';
import type { CatalogTables } from '../catalog/tables';
import type { NetworkTables } from '../network/tables';
import type { ServicesAreaTables } from '../services/tables';
import type { SubscribersTables } from '../subscribers/tables';
import type { DunningTables } from '../dunning/tables';
import type { MigrationsTable, SequencesTable } from './tables';

/** The whole database as kysely sees it: each domain area declares its own tables. */
export interface Database extends SubscribersTables, CatalogTables, ServicesAreaTables, NetworkTables, BillingTables, DunningTables {
  sequences: SequencesTable;
  towerline_migrations: MigrationsTable;
}
