import type { Db } from '../db/open';

/** One line of a hotspot user's status history. */
export async function recordHotspotEvent(db: Db, e: { hotspotUserId: number; at: Date; from: string; to: string; reason: string; actor: string }): Promise<void> {
  await db
    .insertInto('hotspot_user_events')
    .values({ hotspot_user_id: e.hotspotUserId, at: e.at.toISOString(), from_status: e.from, to_status: e.to, reason: e.reason, actor: e.actor })
    .execute();
}

export async function hotspotUserHistory(db: Db, hotspotUserId: number) {
  const rows = await db.selectFrom('hotspot_user_events').selectAll().where('hotspot_user_id', '=', hotspotUserId).orderBy('id', 'desc').execute();
  return rows.map((r) => ({ id: r.id, at: r.at, fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason, actor: r.actor }));
}
