import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { usageDaily, usageMonth, usagePresence, usageSettings, usageSettingsFields } from '../../../shared/api/usage';
import type { Db } from '../db/open';
import { daysBetween, monthOf } from './counters';

/** A data cap's gigabyte is 10^9 bytes, as ISPs sell it. */
export const GB = 1_000_000_000;

async function requireService(db: Db, serviceId: number) {
  const s = await db.selectFrom('services').select(['id', 'subscription_id']).where('id', '=', serviceId).executeTakeFirst();
  if (!s) throw new ApiError('not_found', `Service ${serviceId} does not exist.`, { serviceId: `No service ${serviceId}` });
  return s;
}

export async function dailyUsage(db: Db, serviceId: number, from: string, to: string): Promise<z.output<typeof usageDaily>> {
  await requireService(db, serviceId);
  const rows = await db
    .selectFrom('usage_daily')
    .select(['day', 'download_bytes', 'upload_bytes'])
    .where('service_id', '=', serviceId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  let downloadBytes = 0;
  let uploadBytes = 0;
  const days = daysBetween(from, to).map((day) => {
    const r = byDay.get(day);
    downloadBytes += r?.download_bytes ?? 0;
    uploadBytes += r?.upload_bytes ?? 0;
    return { day, downloadBytes: r?.download_bytes ?? 0, uploadBytes: r?.upload_bytes ?? 0 };
  });
  return { serviceId, from, to, days, downloadBytes, uploadBytes };
}

export async function hourlyUsage(db: Db, serviceId: number, day: string) {
  await requireService(db, serviceId);
  const rows = await db
    .selectFrom('usage_hourly')
    .select(['hour', 'download_bytes', 'upload_bytes'])
    .where('service_id', '=', serviceId)
    .where('hour', '>=', `${day}T00`)
    .where('hour', '<=', `${day}T23`)
    .execute();
  const byHour = new Map(rows.map((r) => [r.hour, r]));
  const hours = Array.from({ length: 24 }, (_, h) => {
    const key = `${day}T${String(h).padStart(2, '0')}`;
    const r = byHour.get(key);
    return { hour: `${key}:00:00.000Z`, downloadBytes: r?.download_bytes ?? 0, uploadBytes: r?.upload_bytes ?? 0 };
  });
  return { serviceId, day, hours };
}

/** Bytes per service of a subscription in one calendar month, with each plan's cap. */
export async function monthUsage(db: Db, subscriptionId: number, day: string): Promise<z.output<typeof usageMonth>> {
  const sub = await db.selectFrom('subscriptions').select('id').where('id', '=', subscriptionId).executeTakeFirst();
  if (!sub) throw new ApiError('not_found', `Subscription ${subscriptionId} does not exist.`, { subscriptionId: `No subscription ${subscriptionId}` });
  const { from, to } = monthOf(day);
  const rows = await db
    .selectFrom('services as s')
    .innerJoin('plans as p', 'p.id', 's.plan_id')
    .leftJoin('usage_plan_caps as c', 'c.plan_id', 's.plan_id')
    .select((eb) => [
      's.id',
      's.login',
      'p.name as plan_name',
      'c.cap_gb',
      eb
        .selectFrom('usage_daily as d')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('d.download_bytes'), e.lit(0)).as('n'))
        .whereRef('d.service_id', '=', 's.id')
        .where('d.day', '>=', from)
        .where('d.day', '<=', to)
        .as('download_bytes'),
      eb
        .selectFrom('usage_daily as d')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('d.upload_bytes'), e.lit(0)).as('n'))
        .whereRef('d.service_id', '=', 's.id')
        .where('d.day', '>=', from)
        .where('d.day', '<=', to)
        .as('upload_bytes'),
    ])
    .where('s.subscription_id', '=', subscriptionId)
    .where('s.status', '!=', 'Archived')
    .where('p.kind', '=', 'Internet')
    .orderBy('s.id')
    .execute();
  const services = rows.map((r) => ({
    serviceId: r.id,
    login: r.login,
    planName: r.plan_name,
    downloadBytes: Number(r.download_bytes ?? 0),
    uploadBytes: Number(r.upload_bytes ?? 0),
    capBytes: r.cap_gb === null ? null : r.cap_gb * GB,
  }));
  return {
    subscriptionId,
    from,
    to,
    downloadBytes: services.reduce((n, s) => n + s.downloadBytes, 0),
    uploadBytes: services.reduce((n, s) => n + s.uploadBytes, 0),
    services,
  };
}

export async function presence(db: Db, serviceIds: readonly number[]): Promise<z.output<typeof usagePresence>[]> {
  if (serviceIds.length === 0) return [];
  const [live, last, ended] = await Promise.all([
    db
      .selectFrom('usage_live_sessions')
      .select((eb) => ['service_id', eb.fn.min('started_at').as('since'), eb.fn.max('updated_at').as('seen')])
      .where('service_id', 'in', serviceIds)
      .groupBy('service_id')
      .execute(),
    db
      .selectFrom('radius_sessions')
      .select((eb) => ['service_id', eb.fn.max(eb.fn.coalesce('stopped_at', 'updated_at')).as('seen')])
      .where('service_id', 'in', serviceIds)
      .groupBy('service_id')
      .execute(),
    // Sessions that ended whatever reported them (a router's API included), kept when their live row went.
    db.selectFrom('service_last_seen').select(['service_id', 'seen_at']).where('service_id', 'in', serviceIds).execute(),
  ]);
  const liveBy = new Map(live.map((r) => [r.service_id, r]));
  const lastBy = new Map(last.map((r) => [r.service_id, r.seen]));
  const endedBy = new Map(ended.map((r) => [r.service_id, r.seen_at]));
  return serviceIds.map((serviceId) => {
    const l = liveBy.get(serviceId);
    const seen = [l?.seen, lastBy.get(serviceId), endedBy.get(serviceId)].filter((s): s is string => typeof s === 'string').sort().at(-1) ?? null;
    return { serviceId, online: l !== undefined, onlineSince: l?.since ?? null, lastSeenAt: seen };
  });
}

type Settings = z.output<typeof usageSettings>;

export async function getUsageSettings(db: Db): Promise<Settings> {
  const r = await db.selectFrom('usage_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { hourlyDays: r.hourly_days, dailyDays: r.daily_days, sessionDays: r.session_days, staleSessionHours: r.stale_session_hours, routerosPollMinutes: r.routeros_poll_minutes, lastCleanupAt: r.last_cleanup_at, updatedAt: r.updated_at };
}

export async function updateUsageSettings(db: Db, patch: Partial<z.output<typeof usageSettingsFields>>, now: Date): Promise<Settings> {
  await db
    .updateTable('usage_settings')
    .set({
      ...(patch.hourlyDays !== undefined && { hourly_days: patch.hourlyDays }),
      ...(patch.dailyDays !== undefined && { daily_days: patch.dailyDays }),
      ...(patch.sessionDays !== undefined && { session_days: patch.sessionDays }),
      ...(patch.staleSessionHours !== undefined && { stale_session_hours: patch.staleSessionHours }),
      ...(patch.routerosPollMinutes !== undefined && { routeros_poll_minutes: patch.routerosPollMinutes }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', 1)
    .execute();
  return getUsageSettings(db);
}
