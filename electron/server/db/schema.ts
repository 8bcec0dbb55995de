import type { BackupTables } from '../backup/tables';
import type { BillingTables } from '../billing/tables';
import type { CatalogTables } from '../catalog/tables';
import type { NetworkTables } from '../network/tables';
import type { FreeradiusTables } from '../network/freeradius/tables';
import type { PlatformTables } from '../platform/tables';
import type { RadiusTables } from '../network/radius/tables';
import type { ServicesAreaTables } from '../services/tables';
import type { SubscribersTables } from '../subscribers/tables';
import type { MovesTables } from '../moves/tables';
import type { DunningTables } from '../dunning/tables';
import type { MigrationsTable, SequencesTable } from './tables';
import type { IoTables } from '../io/tables';
import type { UsageTables } from '../usage/tables';
import type { HotspotTables } from '../hotspot/tables';

/** The whole database as kysely sees it: each domain area declares its own tables. */
export interface Database extends SubscribersTables, CatalogTables, ServicesAreaTables, NetworkTables, BillingTables, FreeradiusTables, PlatformTables, BackupTables, IoTables, RadiusTables, MovesTables, DunningTables, UsageTables, HotspotTables {
  sequences: SequencesTable;
  towerline_migrations: MigrationsTable;
}
