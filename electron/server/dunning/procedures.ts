import type { dunningApi } from '../../../shared/api/dunning';
import type { IsoDate } from '../../../shared/domain/types';
import type { HandlersFor } from '../api/handlers';
import { dayOf } from '../billing/settings';
import { dunningStatusOf, exempt, listNotices, noticeHtml, noticesHtml, removeExemption } from './exemptions';
import { DUNNING_ACTOR, previewDunning, runDunning } from './run';
import { getDunningSettings, updateDunningSettings } from './settings';

const day = (d: string) => d as IsoDate;

export const dunningHandlers: HandlersFor<typeof dunningApi> = {
  'dunning.settings': (_input, { db }) => getDunningSettings(db),
  'dunning.updateSettings': (patch, { db, now }) => updateDunningSettings(db, patch, now()),
  'dunning.preview': ({ date }, { db, now }) => previewDunning(db, date ? day(date) : dayOf(now())),
  'dunning.run': ({ date }, { db, actor, now }) => runDunning(db, date ? day(date) : dayOf(now()), { actor: actor.staffId === null ? DUNNING_ACTOR : actor, now: now() }),
  'dunning.status': ({ subscriptionId }, { db, now }) => dunningStatusOf(db, subscriptionId, dayOf(now())),
  'dunning.exempt': ({ subscriptionId, until, reason }, { db, actor, now }) => exempt(db, { subscriptionId, until: day(until), reason }, dayOf(now()), actor, now()),
  'dunning.removeExemption': async ({ id }, { db, now }) => (await removeExemption(db, id, dayOf(now()), now()), { deleted: true as const }),
  'dunning.noticeHtml': async ({ id }, { db }) => ({ html: await noticeHtml(db, id) }),
  'dunning.notices': ({ from, to, page, pageSize }, { db }) => listNotices(db, { from: day(from), to: day(to), page, pageSize }),
  'dunning.noticesHtml': ({ from, to }, { db }) => noticesHtml(db, day(from), day(to)),
};
