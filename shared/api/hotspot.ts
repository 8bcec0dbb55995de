import { z } from 'zod';
import { id, isoDateTime, requiredText } from './common';
import { procedure } from './procedure';

/**
 * Hotspot vouchers beyond the single user (shared/api/services.ts has users and batches): voiding
 * and deleting a batch, a user's status history, what voucher cards print, and the MikroTik login
 * page template.
 */

const optionalLine = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}: at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const hotspotSettingsFields = z.object({
  /** The Wi-Fi network name printed on voucher cards. */
  ssid: optionalLine(32, 'Wi-Fi network name'),
  /** Where the login page opens when a browser does not show it by itself (e.g. login.wifi or http://10.5.50.1/login). */
  loginAddress: optionalLine(200, 'Login page address').refine((v) => v === null || /^[^\s<>"']+$/.test(v), 'Write an address without spaces or quotes, like login.wifi'),
});

export const hotspotSettings = z.object({ ssid: z.string().nullable(), loginAddress: z.string().nullable(), updatedAt: isoDateTime });

export const hotspotUserEvent = z.object({
  id,
  at: isoDateTime,
  fromStatus: z.string(),
  toStatus: z.string(),
  reason: z.string(),
  actor: z.string(),
});

const batchId = z.object({ batchId: requiredText(64) });

export const hotspotApi = {
  'vouchers.voidBatch': procedure(
    'Void every voucher of a batch: each stays on record as Voided (with history) and never logs in again.',
    batchId.extend({ reason: z.string().trim().max(200, 'At most 200 characters').default('') }),
    z.object({ voided: z.number().int(), alreadyVoided: z.number().int() }),
  ),
  'vouchers.deleteBatch': procedure(
    'Delete a batch whose vouchers were never used; a batch with a used voucher can only be voided.',
    batchId,
    z.object({ deleted: z.number().int() }),
  ),
  'hotspotUsers.history': procedure('A hotspot user\'s status changes, newest first.', z.object({ id }), z.array(hotspotUserEvent)),
  'hotspotSettings.get': procedure('What voucher cards print: the Wi-Fi network name and login page address.', z.object({}), hotspotSettings),
  'hotspotSettings.update': procedure('Change what voucher cards print.', hotspotSettingsFields.partial(), hotspotSettings),
  'hotspot.loginPage': procedure(
    'A MikroTik hotspot login page (login.html) with the ISP\'s name and logo, to upload to the router\'s hotspot folder.',
    z.object({}),
    z.object({ filename: z.string(), html: z.string() }),
  ),
};
