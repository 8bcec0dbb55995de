import { sql } from 'kysely';
import type { z } from 'zod';
import type { radiusApi, radiusCounters, radiusSession } from '../../../../shared/api/radius';
import type { HandlersFor } from '../../api/handlers';
import type { Db } from '../../db/open';
import { emptyCounters } from './server';

/** A server that has not reported for this long is taken as stopped (its heartbeat is 2 s). */
const SILENT_AFTER_MS = 15_000;

type Counters = z.output<typeof radiusCounters>;
type Session = z.output<typeof radiusSession>;

function countersOf(text: string | undefined): Counters {
  const base = emptyCounters();
  if (!text) return base;
  try {
    const stored = JSON.parse(text) as Partial<Counters>;
    // Merged over zeroes, so counters added in a later version read as 0 from an older server.
    return { ...base, ...stored, rejected: { ...base.rejected, ...stored.rejected }, dropped: { ...base.dropped, ...stored.dropped } };
  } catch {
    return base;
  }
}

export async function radiusSettingsOf(db: Db) {
  const row = await db.selectFrom('radius_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { suspendedAnswer: row.suspended_answer, requireMessageAuthenticator: row.require_message_authenticator === 1, coaPort: row.coa_port, updatedAt: row.updated_at };
}

/** LIKE's wildcards typed into a search box match themselves. */
function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function onlineSessions(db: Db, input: { routerId?: number; login?: string; query?: string; page: number; pageSize: number }) {
  let q = db
    .selectFrom('radius_sessions as r')
    .leftJoin('routers as ro', 'ro.id', 'r.router_id')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .leftJoin('hotspot_users as h', 'h.id', 'r.hotspot_user_id')
    .leftJoin('subscriptions as sub', (j) => j.on((eb) => eb.or([eb('sub.id', '=', eb.ref('s.subscription_id')), eb('sub.id', '=', eb.ref('h.subscription_id'))])))
    .where('r.stopped_at', 'is', null);
  if (input.routerId !== undefined) q = q.where('r.router_id', '=', input.routerId);
  if (input.login !== undefined) q = q.where('r.login', '=', input.login);
  if (input.query) {
    const text = likeText(input.query);
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`r.login like ${`${text}%`} escape '\\'`,
        sql<boolean>`r.framed_ip like ${`${text}%`} escape '\\'`,
        sql<boolean>`sub.name like ${`%${text}%`} escape '\\'`,
      ]),
    );
  }
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'r.id', 'r.login', 'r.nas_address', 'r.router_id', 'ro.name as router_name', 'r.service_id', 'r.hotspot_user_id', 'sub.id as subscription_id',
      'sub.name as subscription_name', 'r.acct_session_id', 'r.framed_ip', 'r.calling_station_id', 'r.started_at', 'r.updated_at', 'r.stopped_at',
      'r.session_seconds', 'r.input_bytes', 'r.output_bytes', 'r.terminate_cause',
    ])
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute();
  return {
    total: Number(n),
    rows: rows.map(
      (r): Session => ({
        id: r.id,
        login: r.login,
        nasAddress: r.nas_address,
        routerId: r.router_id,
        routerName: r.router_name,
        serviceId: r.service_id,
        hotspotUserId: r.hotspot_user_id,
        subscriptionId: r.subscription_id,
        subscriptionName: r.subscription_name,
        acctSessionId: r.acct_session_id,
        framedIp: r.framed_ip,
        callingStationId: r.calling_station_id,
        startedAt: r.started_at,
        updatedAt: r.updated_at,
        stoppedAt: r.stopped_at,
        sessionSeconds: r.session_seconds,
        uploadBytes: r.input_bytes,
        downloadBytes: r.output_bytes,
        terminateCause: r.terminate_cause,
      }),
    ),
  };
}

export const radiusHandlers: HandlersFor<typeof radiusApi> = {
  'radius.status': async (_input, { db, now }) => {
    const row = await db.selectFrom('radius_server_state').selectAll().where('id', '=', 1).executeTakeFirst();
    const { n } = await db.selectFrom('radius_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('stopped_at', 'is', null).executeTakeFirstOrThrow();
    const fresh = !!row && row.listening === 1 && now().getTime() - Date.parse(row.heartbeat_at) < SILENT_AFTER_MS;
    return {
      listening: fresh,
      host: row?.host ?? null,
      authPort: row?.auth_port ?? null,
      acctPort: row?.acct_port ?? null,
      startedAt: row?.started_at ?? null,
      reportedAt: row?.heartbeat_at ?? null,
      counters: countersOf(row?.counters),
      onlineSessions: Number(n),
    };
  },
  'radius.sessions': (input, { db }) => onlineSessions(db, input),
  'radius.settings': (_input, { db }) => radiusSettingsOf(db),
  'radius.updateSettings': async (input, { db, now }) => {
    await db
      .updateTable('radius_settings')
      .set({
        ...(input.suspendedAnswer !== undefined && { suspended_answer: input.suspendedAnswer }),
        ...(input.requireMessageAuthenticator !== undefined && { require_message_authenticator: input.requireMessageAuthenticator ? 1 : 0 }),
        ...(input.coaPort !== undefined && { coa_port: input.coaPort }),
        updated_at: now().toISOString(),
      })
      .where('id', '=', 1)
      .execute();
    return radiusSettingsOf(db);
  },
};
