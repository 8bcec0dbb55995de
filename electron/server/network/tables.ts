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

export interface NetworkTables {
  routers: RoutersTable;
  ip_networks: IpNetworksTable;
  ip_network_exclusions: IpNetworkExclusionsTable;
  ip_allocations: IpAllocationsTable;
}
