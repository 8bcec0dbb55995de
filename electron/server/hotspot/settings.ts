import type { z } from 'zod';
import type { hotspotSettingsFields } from '../../../shared/api/hotspot';
import type { Db } from '../db/open';

export async function getHotspotSettings(db: Db) {
  const r = await db.selectFrom('hotspot_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return { ssid: r.ssid, loginAddress: r.login_address, updatedAt: r.updated_at };
}

export async function updateHotspotSettings(db: Db, patch: Partial<z.output<typeof hotspotSettingsFields>>, now: Date) {
  await db
    .updateTable('hotspot_settings')
    .set({
      ...(patch.ssid !== undefined && { ssid: patch.ssid }),
      ...(patch.loginAddress !== undefined && { login_address: patch.loginAddress }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', 1)
    .execute();
  return getHotspotSettings(db);
}
