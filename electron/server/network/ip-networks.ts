import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import { type Cidr, contains, formatIpv4, parseCidr, parseIpv4, addressProblem, usableAddresses } from '../../../shared/domain/ipv4';
import type { ipAllocation, ipNetwork, ipNetworkFields, utilization } from '../../../shared/api/network';
import type { Db } from '../db/open';
import { requireReference } from '../db/references';

type IpNetwork = z.output<typeof ipNetwork>;
type Fields = z.output<typeof ipNetworkFields>;
type Utilization = z.output<typeof utilization>;

export interface NetworkRow {
  id: number;
  cidr: string;
  kind: string;
  first_int: number;
  last_int: number;
  gateway: string | null;
}

export function cidrOf(text: string): Cidr {
  const v = parseCidr(text);
  if (!v.ok) throw new Error(`Stored network ${text} does not parse: ${v.message}`);
  return v.cidr;
}

export async function exclusionsOf(db: Db, networkId: number) {
  return db.selectFrom('ip_network_exclusions').select(['first_address', 'last_address', 'first_int as first', 'last_int as last', 'reason']).where('network_id', '=', networkId).orderBy('first_int').execute();
}

async function utilizationOf(db: Db, n: NetworkRow, excluded: { first: number; last: number }[]): Promise<Utilization> {
  const gateway = n.gateway === null ? null : parseIpv4(n.gateway);
  const { usable, size } = usableAddresses(cidrOf(n.cidr), gateway, excluded);
  const { used } = await db
    .selectFrom('ip_allocations')
    .select((eb) => eb.fn.countAll<number>().as('used'))
    .where('network_id', '=', n.id)
    .where('kind', '=', 'address')
    .executeTakeFirstOrThrow();
  return { size, usable, used: Number(used), free: Math.max(0, usable - Number(used)) };
}

function networkQuery(db: Db) {
  return db.selectFrom('ip_networks as n').leftJoin('routers as r', 'r.id', 'n.router_id').selectAll('n').select('r.name as router_name');
}

type Row = Awaited<ReturnType<ReturnType<typeof networkQuery>['executeTakeFirstOrThrow']>>;

async function toNetwork(db: Db, r: Row): Promise<IpNetwork> {
  const excluded = await exclusionsOf(db, r.id);
  return {
    id: r.id,
    cidr: r.cidr,
    kind: r.kind as IpNetwork['kind'],
    routerId: r.router_id,
    routerName: r.router_name,
    gateway: r.gateway,
    description: r.description,
    excluded: excluded.map((e) => ({ first: e.first_address, last: e.last_address, reason: e.reason })),
    utilization: await utilizationOf(db, r, excluded),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function getNetwork(db: Db, id: number): Promise<IpNetwork> {
  const row = await networkQuery(db).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Network ${id} does not exist.`);
  return toNetwork(db, row);
}

export async function listNetworks(db: Db, input: { kind?: 'permanent' | 'pool'; routerId?: number; page: number; pageSize: number }) {
  let base = networkQuery(db);
  let count = db.selectFrom('ip_networks as n');
  if (input.kind) {
    base = base.where('n.kind', '=', input.kind);
    count = count.where('n.kind', '=', input.kind);
  }
  if (input.routerId) {
    base = base.where('n.router_id', '=', input.routerId);
    count = count.where('n.router_id', '=', input.routerId);
  }
  const { total } = await count.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.orderBy('n.first_int').limit(input.pageSize).offset((input.page - 1) * input.pageSize).execute();
  const out: IpNetwork[] = [];
  for (const r of rows) out.push(await toNetwork(db, r));
  return { rows: out, total: Number(total) };
}

/** Checks a network as a whole and returns its parsed range and exclusions. */
async function checkNetwork(db: Db, f: Fields, selfId: number | null) {
  const cidr = cidrOf(f.cidr);
  const clash = await db
    .selectFrom('ip_networks')
    .select('cidr')
    .where('first_int', '<=', cidr.last)
    .where('last_int', '>=', cidr.first)
    .$if(selfId !== null, (q) => q.where('id', '<>', selfId!))
    .executeTakeFirst();
  if (clash) throw fieldError('cidr', `${cidr.text} overlaps network ${clash.cidr}`);
  const routed = await db
    .selectFrom('ip_allocations')
    .select('address')
    .where('kind', '=', 'routed')
    .where('first_int', '<=', cidr.last)
    .where('last_int', '>=', cidr.first)
    .executeTakeFirst();
  if (routed) throw fieldError('cidr', `${cidr.text} overlaps ${routed.address}, routed to a service`);
  if (f.routerId !== null) await requireReference(db, 'routers', f.routerId, 'routerId', 'router');
  const gateway = f.gateway === null ? null : parseIpv4(f.gateway)!;
  if (gateway !== null && (!contains(cidr, gateway) || addressProblem(cidr, null, [], gateway) !== null)) {
    throw fieldError('gateway', `${f.gateway} is not a host address of ${cidr.text}`);
  }
  const excluded = f.excluded.map((e, i) => {
    const first = parseIpv4(e.first)!;
    const last = parseIpv4(e.last)!;
    if (last < first) throw fieldError(`excluded.${i}.last`, `${e.last} comes before ${e.first}`);
    if (!contains(cidr, first) || !contains(cidr, last)) throw fieldError(`excluded.${i}.first`, `${e.first}–${e.last} is not inside ${cidr.text}`);
    return { first, last, first_address: formatIpv4(first), last_address: formatIpv4(last), reason: e.reason };
  });
  return { cidr, excluded };
}

async function writeExclusions(db: Db, networkId: number, excluded: { first: number; last: number; first_address: string; last_address: string; reason: string | null }[]) {
  await db.deleteFrom('ip_network_exclusions').where('network_id', '=', networkId).execute();
  if (excluded.length === 0) return;
  await db
    .insertInto('ip_network_exclusions')
    .values(excluded.map((e) => ({ network_id: networkId, first_address: e.first_address, last_address: e.last_address, first_int: e.first, last_int: e.last, reason: e.reason })))
    .execute();
}

/** Allocated addresses that a changed network would no longer hand out. */
async function checkHeldAddresses(db: Db, networkId: number, cidr: Cidr, gateway: number | null, excluded: { first: number; last: number }[]) {
  const held = await db.selectFrom('ip_allocations').select(['address', 'first_int']).where('network_id', '=', networkId).where('kind', '=', 'address').execute();
  for (const a of held) {
    const outside = !contains(cidr, a.first_int);
    const problem = outside ? null : addressProblem(cidr, gateway, excluded, a.first_int);
    if (outside || problem) throw new ApiError('refused', `${a.address} is held by a service and would ${outside ? 'fall outside the network' : `become the ${problem === 'excluded' ? 'excluded range' : problem}`}; move that service first.`);
  }
}

export async function createNetwork(db: Db, input: Fields, now: Date): Promise<IpNetwork> {
  const { cidr, excluded } = await checkNetwork(db, input, null);
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('ip_networks')
    .values({
      cidr: cidr.text,
      first_int: cidr.first,
      last_int: cidr.last,
      kind: input.kind,
      router_id: input.routerId,
      gateway: input.gateway,
      description: input.description,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeExclusions(db, id, excluded);
  return getNetwork(db, id);
}

export async function updateNetwork(db: Db, id: number, patch: Partial<Fields>, now: Date): Promise<IpNetwork> {
  const current = await getNetwork(db, id);
  const merged: Fields = {
    cidr: patch.cidr ?? current.cidr,
    kind: patch.kind ?? current.kind,
    routerId: patch.routerId !== undefined ? patch.routerId : current.routerId,
    gateway: patch.gateway !== undefined ? patch.gateway : current.gateway,
    description: patch.description !== undefined ? patch.description : current.description,
    excluded: patch.excluded ?? current.excluded,
  };
  const { cidr, excluded } = await checkNetwork(db, merged, id);
  const gateway = merged.gateway === null ? null : parseIpv4(merged.gateway);
  await checkHeldAddresses(db, id, cidr, gateway, excluded);
  if (merged.kind === 'pool' && current.utilization.used > 0) {
    throw fieldError('kind', `${current.utilization.used} permanent address(es) of ${current.cidr} are held by services; it cannot become a pool`);
  }
  if (merged.kind === 'permanent' && current.kind === 'pool') {
    const { n } = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).where('pool_network_id', '=', id).executeTakeFirstOrThrow();
    if (Number(n) > 0) throw fieldError('kind', `${n} service(s) draw from this pool; it cannot become permanent`);
  }
  await db
    .updateTable('ip_networks')
    .set({ cidr: cidr.text, first_int: cidr.first, last_int: cidr.last, kind: merged.kind, router_id: merged.routerId, gateway: merged.gateway, description: merged.description, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  await writeExclusions(db, id, excluded);
  return getNetwork(db, id);
}

export async function deleteNetwork(db: Db, id: number): Promise<void> {
  const n = await getNetwork(db, id);
  const { held } = await db.selectFrom('ip_allocations').select((eb) => eb.fn.countAll<number>().as('held')).where('network_id', '=', id).executeTakeFirstOrThrow();
  const { pools } = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('pools')).where('pool_network_id', '=', id).executeTakeFirstOrThrow();
  if (Number(held) > 0 || Number(pools) > 0) {
    throw new ApiError('refused', `${n.cidr} is in use (${Number(held)} address(es) held, ${Number(pools)} service(s) using it as their pool); it cannot be deleted.`);
  }
  await db.deleteFrom('ip_networks').where('id', '=', id).execute();
}

export async function networkUtilization(db: Db, id: number): Promise<Utilization> {
  return (await getNetwork(db, id)).utilization;
}

export async function networkAllocations(db: Db, id: number, page: number, pageSize: number): Promise<{ rows: z.output<typeof ipAllocation>[]; total: number }> {
  const n = await getNetwork(db, id);
  const cidr = cidrOf(n.cidr);
  // Routed networks inside this one show too, though they are not counted as its addresses.
  const base = db
    .selectFrom('ip_allocations as a')
    .where((eb) => eb.or([eb('a.network_id', '=', id), eb.and([eb('a.first_int', '<=', cidr.last), eb('a.last_int', '>=', cidr.first)])]));
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('services as s', 's.id', 'a.service_id')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['a.id', 'a.kind', 'a.address', 's.id as service_id', 's.description', 's.login', 'sub.id as subscription_id', 'sub.unique_id', 'sub.name'])
    .orderBy('a.first_int')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind as 'address' | 'routed',
      address: r.address,
      serviceId: r.service_id,
      serviceDescription: r.description,
      login: r.login,
      subscriptionId: r.subscription_id,
      subscriptionUniqueId: r.unique_id,
      subscriptionName: r.name,
    })),
    total: Number(total),
  };
}

/** The lowest address a service could take, walking the network past reserved, excluded and held ones. */
export async function nextFreeAddress(db: Db, id: number): Promise<string | null> {
  const n = await getNetwork(db, id);
  if (n.kind !== 'permanent') throw new ApiError('refused', `${n.cidr} is a pool; its addresses are handed out by the router.`);
  const cidr = cidrOf(n.cidr);
  const gateway = n.gateway === null ? null : parseIpv4(n.gateway);
  const excluded = (await exclusionsOf(db, id)).map((e) => ({ first: e.first, last: e.last }));
  const held = new Set((await db.selectFrom('ip_allocations').select('first_int').where('network_id', '=', id).where('kind', '=', 'address').execute()).map((a) => a.first_int));
  for (let v = cidr.first; v <= cidr.last; v++) {
    if (!held.has(v) && addressProblem(cidr, gateway, excluded, v) === null) return formatIpv4(v);
  }
  return null;
}
