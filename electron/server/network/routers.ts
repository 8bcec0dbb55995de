import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { router, routerFields } from '../../../shared/api/network';
import type { Db } from '../db/open';
import type { SecretBox } from '../platform/secrets';

type Router = z.output<typeof router>;
type Fields = z.output<typeof routerFields>;

function query(db: Db) {
  return db
    .selectFrom('routers as r')
    .leftJoin('routeros_usage_state as u', 'u.router_id', 'r.id')
    .select((eb) => [
      'r.usage_source',
      'u.last_attempt_at as poll_attempt_at',
      'u.last_success_at as poll_success_at',
      'u.last_error as poll_error',
      'u.sessions as poll_sessions',
      'u.queues as poll_queues',
      'r.id',
      'r.name',
      'r.address',
      'r.vendor',
      'r.api_port',
      'r.api_user',
      'r.api_tls',
      'r.coa_port',
      'r.notes',
      'r.created_at',
      'r.updated_at',
      // Only whether a secret is stored leaves this query: the sealed text stays in the database.
      eb('r.api_password_sealed', 'is not', null).as('has_api_password'),
      eb('r.radius_secret_sealed', 'is not', null).as('has_radius_secret'),
      eb.selectFrom('services').select(eb.fn.countAll<number>().as('n')).whereRef('router_id', '=', 'r.id').where('status', '<>', 'Archived').as('serviceCount'),
      eb.selectFrom('ip_networks').select(eb.fn.countAll<number>().as('n')).whereRef('router_id', '=', 'r.id').as('networkCount'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

const toRouter = (r: Row): Router => ({
  id: r.id,
  name: r.name,
  address: r.address,
  vendor: r.vendor as Router['vendor'],
  apiPort: r.api_port,
  apiUser: r.api_user,
  apiTls: r.api_tls === 1,
  hasApiPassword: Boolean(r.has_api_password),
  hasRadiusSecret: Boolean(r.has_radius_secret),
  coaPort: r.coa_port,
  notes: r.notes,
  serviceCount: Number(r.serviceCount ?? 0),
  networkCount: Number(r.networkCount ?? 0),
  usageSource: r.usage_source,
  usagePoll:
    r.poll_attempt_at === null
      ? null
      : { lastAttemptAt: r.poll_attempt_at, lastSuccessAt: r.poll_success_at, lastError: r.poll_error, sessions: r.poll_sessions ?? 0, queues: r.poll_queues ?? 0 },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** undefined: leave as is; null or blank: clear; text: seal and store. */
function sealed(secrets: SecretBox, value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === null || value === '' ? null : secrets.encrypt(value);
}

function columns(f: Partial<Fields>, secrets: SecretBox) {
  const apiPassword = sealed(secrets, f.apiPassword);
  const radiusSecret = sealed(secrets, f.radiusSecret);
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.address !== undefined && { address: f.address }),
    ...(f.vendor !== undefined && { vendor: f.vendor }),
    ...(f.apiPort !== undefined && { api_port: f.apiPort }),
    ...(f.apiUser !== undefined && { api_user: f.apiUser }),
    ...(f.apiTls !== undefined && { api_tls: f.apiTls ? 1 : 0 }),
    ...(apiPassword !== undefined && { api_password_sealed: apiPassword }),
    ...(radiusSecret !== undefined && { radius_secret_sealed: radiusSecret }),
    ...(f.coaPort !== undefined && { coa_port: f.coaPort }),
    ...(f.notes !== undefined && { notes: f.notes }),
    ...(f.usageSource !== undefined && { usage_source: f.usageSource }),
  };
}

/** A new router's usage source when none is chosen: what its credentials allow (as migration 2250 set for existing ones). */
export function defaultUsageSource(f: Pick<Fields, 'vendor' | 'apiUser' | 'radiusSecret'>): 'radius' | 'routeros' | 'none' {
  if (f.radiusSecret) return 'radius';
  if (f.vendor === 'MikroTik RouterOS' && f.apiUser) return 'routeros';
  return 'none';
}

export async function getRouter(db: Db, id: number): Promise<Router> {
  const row = await query(db).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Router ${id} does not exist.`);
  return toRouter(row);
}

export async function listRouters(db: Db): Promise<Router[]> {
  return (await query(db).orderBy('r.name').execute()).map(toRouter);
}

export async function createRouter(db: Db, input: Fields, secrets: SecretBox, now: Date): Promise<Router> {
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('routers')
    .values({ name: input.name, address: input.address, vendor: input.vendor, usage_source: defaultUsageSource(input), ...columns(input, secrets), created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getRouter(db, id);
}

export async function updateRouter(db: Db, id: number, patch: Partial<Fields>, secrets: SecretBox, now: Date): Promise<Router> {
  await getRouter(db, id);
  await db.updateTable('routers').set({ ...columns(patch, secrets), updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getRouter(db, id);
}

export async function deleteRouter(db: Db, id: number): Promise<void> {
  const r = await getRouter(db, id);
  const { n } = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).where('router_id', '=', id).executeTakeFirstOrThrow();
  const services = Number(n);
  if (services > 0 || r.networkCount > 0) {
    const parts = [services > 0 && `${services} service${services === 1 ? '' : 's'}`, r.networkCount > 0 && `${r.networkCount} network${r.networkCount === 1 ? '' : 's'}`].filter(Boolean);
    throw new ApiError('refused', `${r.name} is used by ${parts.join(' and ')}; move them to another router first.`);
  }
  await db.deleteFrom('routers').where('id', '=', id).execute();
}

/** The router's secrets in clear, for provisioning code in the back end only (never an API output). */
export async function routerSecrets(db: Db, id: number, secrets: SecretBox): Promise<{ apiPassword: string | null; radiusSecret: string | null }> {
  const row = await db.selectFrom('routers').select(['api_password_sealed', 'radius_secret_sealed']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Router ${id} does not exist.`);
  return {
    apiPassword: row.api_password_sealed === null ? null : secrets.decrypt(row.api_password_sealed),
    radiusSecret: row.radius_secret_sealed === null ? null : secrets.decrypt(row.radius_secret_sealed),
  };
}
