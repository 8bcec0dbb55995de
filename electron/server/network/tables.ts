import type { Generated } from 'kysely';
import type { CreatedAt, Id } from '../db/tables';

export interface RoutersTable {
  id: Id;
  name: string;
  address: string;
  vendor: string;
  api_port: number | null;
  api_user: string | null;
  /** Sealed by the SecretBox; never answered in clear. */
  api_password_sealed: string | null;
  radius_secret_sealed: string | null;
  /** 1: the API is spoken over TLS (api-ssl). */
  api_tls: Generated<number>;
  /** Where the router listens for CoA and Disconnect-Requests; null: the RADIUS settings' port. */
  coa_port: number | null;
  /** Where its usage comes from: RADIUS accounting, a RouterOS API poll, or nowhere. */
  usage_source: Generated<'radius' | 'routeros' | 'none'>;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface IpNetworksTable {
  id: Id;
  cidr: string;
  /** First and last address as 32-bit integers. */
  first_int: number;
  last_int: number;
  kind: string;
  router_id: number | null;
  gateway: string | null;
  description: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface IpNetworkExclusionsTable {
  id: Id;
  network_id: number;
  first_address: string;
  last_address: string;
  first_int: number;
  last_int: number;
  reason: string | null;
}

export interface IpAllocationsTable {
  id: Id;
  service_id: number;
  network_id: number | null;
  kind: string;
  /** Dotted address for 'address', CIDR for 'routed'. */
  address: string;
  first_int: number;
  last_int: number;
  created_at: CreatedAt;
}

export interface NetworkOutboxTable {
  id: Id;
  router_id: number;
  service_id: number | null;
  reason: string;
  created_at: Generated<string>;
}

export interface NetworkRouterStateTable {
  router_id: number;
  reachable: number | null;
  last_attempt_at: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_created: Generated<number>;
  last_updated: Generated<number>;
  last_removed: Generated<number>;
  last_unchanged: Generated<number>;
}

export interface NetworkKnownObjectsTable {
  router_id: number;
  menu: string;
  key: string;
  attributes: string;
}

export interface NetworkDriftTable {
  id: Id;
  router_id: number;
  menu: string;
  key: string;
  service_id: number | null;
  kind: string;
  detail: string;
  found_at: string;
  repaired: number;
}

export interface NetworkFailuresTable {
  router_id: number;
  menu: string;
  key: string;
  service_id: number | null;
  action: string;
  message: string;
  failed_at: string;
}

export interface NetworkTables {
  network_outbox: NetworkOutboxTable;
  network_router_state: NetworkRouterStateTable;
  network_known_objects: NetworkKnownObjectsTable;
  network_drift: NetworkDriftTable;
  network_failures: NetworkFailuresTable;
  routers: RoutersTable;
  ip_networks: IpNetworksTable;
  ip_network_exclusions: IpNetworkExclusionsTable;
  ip_allocations: IpAllocationsTable;
}
