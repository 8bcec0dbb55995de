import type { Generated } from 'kysely';

export interface ImportMappingsTable {
  id: Generated<number>;
  name: string;
  kind: string;
  mapping: string;
  key_column: string | null;
  updated_at: string;
}

export interface IoTables {
  import_mappings: ImportMappingsTable;
}
