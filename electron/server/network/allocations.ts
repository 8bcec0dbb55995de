import { ApiError, fieldError } from '../../../shared/api/errors';
import { addressProblem, parseCidr, parseIpv4 } from '../../../shared/domain/ipv4';
import { constraintViolation } from '../db/errors';
import type { Db } from '../db/open';
import { cidrOf, exclusionsOf } from './ip-networks';

/**
 * Which addresses a service holds. Rules are checked here so staff get a message naming the
 * address; the unique index on ip_allocations.address still decides when two saves race.
 */

const PROBLEM_TEXT = {
  network: 'the network address of',
  broadcast: 'the broadcast address of',
  gateway: 'the gateway of',
  excluded: 'in an excluded range of',
} as const;

export interface NetworkRule {
  id: number;
  cidr: string;
  kind: string;
  gateway: string | null;
}

/**
 * The permanent network an address belongs to, or a field error saying why it cannot be given:
 * `networks` are those whose range holds the address, `exclusionsOf` the excluded ranges of one.
 * Pure, so a bulk import checks thousands of addresses with the form's rule.
 */
export function permanentNetworkOf(address: string, value: number, networks: readonly NetworkRule[], exclusionsOf: (networkId: number) => readonly { first: number; last: number }[]): number {
  const permanent = networks.find((n) => n.kind === 'permanent');
  if (!permanent) {
    const pool = networks.find((n) => n.kind === 'pool');
    throw fieldError('ipv4Address', pool ? `${address} is in pool network ${pool.cidr}, not in a permanent network` : `${address} is not in any permanent network`);
  }
  const gateway = permanent.gateway === null ? null : parseIpv4(permanent.gateway);
  const problem = addressProblem(cidrOf(permanent.cidr), gateway, exclusionsOf(permanent.id), value);
  if (problem) throw fieldError('ipv4Address', `${address} is ${PROBLEM_TEXT[problem]} ${permanent.cidr}`);
  return permanent.id;
}

/** Checks a permanent address for a service and returns the network it belongs to. */
export async function checkPermanentAddress(db: Db, address: string, serviceId: number | null): Promise<number> {
  const value = parseIpv4(address);
  if (value === null) throw fieldError('ipv4Address', `"${address}" is not an IPv4 address`);
  const networks = await db.selectFrom('ip_networks').select(['id', 'cidr', 'kind', 'gateway']).where('first_int', '<=', value).where('last_int', '>=', value).execute();
  const permanent = networks.find((n) => n.kind === 'permanent');
  const excluded = permanent ? await exclusionsOf(db, permanent.id) : [];
  const networkId = permanentNetworkOf(address, value, networks, () => excluded);
  await checkNotTaken(db, address, serviceId, 'ipv4Address');
  return networkId;
}

async function checkNotTaken(db: Db, address: string, serviceId: number | null, field: string) {
  const holder = await db
    .selectFrom('ip_allocations as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['s.id', 's.description', 'sub.unique_id'])
    .where('a.address', '=', address)
    .$if(serviceId !== null, (q) => q.where('a.service_id', '<>', serviceId!))
    .executeTakeFirst();
  if (holder) throw takenError(field, address, `service "${holder.description}" of ${holder.unique_id}`);
}

export function takenError(field: string, address: string, holder: string): ApiError {
  const message = `${address} is already taken by ${holder}`;
  return new ApiError('conflict', message, { [field]: message });
}

/** A routed network must not overlap any managed network or anything routed or assigned to another service. */
export async function checkRoutedNetwork(db: Db, cidrText: string, serviceId: number | null): Promise<void> {
  const v = parseCidr(cidrText);
  if (!v.ok) throw fieldError('routedNetwork', v.message);
  const { first, last, text } = v.cidr;
  const network = await db.selectFrom('ip_networks').select('cidr').where('first_int', '<=', last).where('last_int', '>=', first).executeTakeFirst();
  if (network) throw new ApiError('conflict', `${text} overlaps network ${network.cidr}`, { routedNetwork: `${text} overlaps network ${network.cidr}` });
  const other = await db
    .selectFrom('ip_allocations as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['a.address', 'a.kind', 'sub.unique_id'])
    .where('a.first_int', '<=', last)
    .where('a.last_int', '>=', first)
    .$if(serviceId !== null, (q) => q.where('a.service_id', '<>', serviceId!))
    .executeTakeFirst();
  if (other) {
    const message = `${text} overlaps ${other.kind === 'routed' ? 'routed network' : 'address'} ${other.address} of ${other.unique_id}`;
    throw new ApiError('conflict', message, { routedNetwork: message });
  }
}

/** Replaces a service's allocations; a concurrent save of the same address loses here, at the unique index. */
export async function setAllocations(
  db: Db,
  serviceId: number,
  wanted: { address: { text: string; networkId: number } | null; routed: string | null },
  now: Date,
): Promise<void> {
  await db.deleteFrom('ip_allocations').where('service_id', '=', serviceId).execute();
  const stamp = now.toISOString();
  const rows = [];
  if (wanted.address) {
    const v = parseIpv4(wanted.address.text)!;
    rows.push({ service_id: serviceId, network_id: wanted.address.networkId, kind: 'address', address: wanted.address.text, first_int: v, last_int: v, created_at: stamp });
  }
  if (wanted.routed) {
    const c = cidrOf(wanted.routed);
    rows.push({ service_id: serviceId, network_id: null, kind: 'routed', address: c.text, first_int: c.first, last_int: c.last, created_at: stamp });
  }
  if (rows.length === 0) return;
  try {
    await db.insertInto('ip_allocations').values(rows).execute();
  } catch (error) {
    const violation = constraintViolation(error);
    if (violation?.kind === 'unique' && violation.table === 'ip_allocations') {
      const field = wanted.address ? 'ipv4Address' : 'routedNetwork';
      throw takenError(field, wanted.address?.text ?? wanted.routed ?? '', 'another service saved at the same moment');
    }
    throw error;
  }
}

export async function releaseAllocations(db: Db, serviceId: number): Promise<void> {
  await db.deleteFrom('ip_allocations').where('service_id', '=', serviceId).execute();
}

/** A pool a service may draw from: it must be a pool network. */
export async function checkPool(db: Db, poolNetworkId: number): Promise<void> {
  const n = await db.selectFrom('ip_networks').select(['kind', 'cidr']).where('id', '=', poolNetworkId).executeTakeFirst();
  if (!n) throw fieldError('poolNetworkId', `No network ${poolNetworkId}`);
  if (n.kind !== 'pool') throw fieldError('poolNetworkId', `${n.cidr} is a permanent network, not a pool`);
}
