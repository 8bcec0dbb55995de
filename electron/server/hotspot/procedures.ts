import type { hotspotApi } from '../../../shared/api/hotspot';
import type { HandlersFor } from '../api/handlers';
import { getBillingSettings } from '../billing/settings';
import { getHotspotUser } from '../services/hotspot';
import { deleteVoucherBatch, voidVoucherBatch } from './batches';
import { hotspotUserHistory } from './events';
import { hotspotLoginPage } from './login-page';
import { getHotspotSettings, updateHotspotSettings } from './settings';

export const hotspotHandlers: HandlersFor<typeof hotspotApi> = {
  'vouchers.voidBatch': (input, { db, now, actor }) => voidVoucherBatch(db, input, now(), actor.name),
  'vouchers.deleteBatch': ({ batchId }, { db }) => deleteVoucherBatch(db, batchId),
  'hotspotUsers.history': async ({ id }, { db, now }) => (await getHotspotUser(db, id, now()), hotspotUserHistory(db, id)),
  'hotspotSettings.get': (_input, { db }) => getHotspotSettings(db),
  'hotspotSettings.update': (patch, { db, now }) => updateHotspotSettings(db, patch, now()),
  'hotspot.loginPage': async (_input, { db }) => {
    const [billing, hotspot] = await Promise.all([getBillingSettings(db), getHotspotSettings(db)]);
    return { filename: 'login.html', html: hotspotLoginPage({ ispName: billing.ispName, ispLogo: billing.ispLogo, ssid: hotspot.ssid, phone: billing.ispPhone }) };
  },
};
