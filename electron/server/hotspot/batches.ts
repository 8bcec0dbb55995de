import { ApiError } from '../../../shared/api/errors';
import type { Db } from '../db/open';
import { recordHotspotEvent } from './events';

async function batchRows(db: Db, batchId: string) {
  const rows = await db
    .selectFrom('hotspot_users as u')
    .select((eb) => [
      'u.id',
      'u.status',
      'u.voided_at',
      'u.first_used_at',
      eb.exists(eb.selectFrom('radius_sessions as r').select('r.id').whereRef('r.hotspot_user_id', '=', 'u.id')).as('has_sessions'),
    ])
    .where('u.batch_id', '=', batchId)
    .execute();
  if (rows.length === 0) throw new ApiError('not_found', `Voucher batch ${batchId} does not exist.`);
  return rows;
}

/**
 * Voids a batch: every voucher stays on record (its usage and history too) as Voided, stored as
 * Disabled so the router disables it and RADIUS refuses it. Voiding twice changes nothing more.
 */
export async function voidVoucherBatch(db: Db, input: { batchId: string; reason: string }, now: Date, actor: string): Promise<{ voided: number; alreadyVoided: number }> {
  const rows = await batchRows(db, input.batchId);
  const stamp = now.toISOString();
  let voided = 0;
  for (const r of rows) {
    if (r.voided_at !== null) continue;
    await db.updateTable('hotspot_users').set({ status: 'Disabled', voided_at: stamp, updated_at: stamp }).where('id', '=', r.id).execute();
    await recordHotspotEvent(db, { hotspotUserId: r.id, at: now, from: r.status, to: 'Voided', reason: input.reason ? `Batch ${input.batchId} voided: ${input.reason}` : `Batch ${input.batchId} voided`, actor });
    voided += 1;
  }
  return { voided, alreadyVoided: rows.length - voided };
}

/** Deletes a batch none of whose vouchers was ever used; otherwise names how many were, and deletes nothing. */
export async function deleteVoucherBatch(db: Db, batchId: string): Promise<{ deleted: number }> {
  const rows = await batchRows(db, batchId);
  const used = rows.filter((r) => r.first_used_at !== null || Number(r.has_sessions) === 1).length;
  if (used > 0) {
    throw new ApiError('conflict', `${used} voucher${used === 1 ? ' of this batch was' : 's of this batch were'} already used, so the batch stays on record: void it instead.`, { batchId: 'Used vouchers cannot be deleted' });
  }
  const result = await db.deleteFrom('hotspot_users').where('batch_id', '=', batchId).executeTakeFirst();
  return { deleted: Number(result.numDeletedRows) };
}
