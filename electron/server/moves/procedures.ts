import type { movesApi } from '../../../shared/api/moves';
import type { HandlersFor } from '../api/handlers';
import type { IsoDate } from '../billing/rules/dates';
import { dayOf } from '../billing/settings';
import { endAccountPackage, subscriptionContracts } from './contracts';
import { applyDueMoves, applyMove, cancelMove, listMoves, previewMove } from './moves';
import { previewPlanChange } from './plan-change';
import { createUpgradePath, deleteUpgradePath, listUpgradePaths, updateUpgradePath } from './upgrade-paths';

export const movesHandlers: HandlersFor<typeof movesApi> = {
  'upgradePaths.create': (input, { db, now }) => createUpgradePath(db, input, now()),
  'upgradePaths.list': ({ packageId }, { db }) => listUpgradePaths(db, packageId),
  'upgradePaths.update': ({ id, ...patch }, { db, now }) => updateUpgradePath(db, id, patch, now()),
  'upgradePaths.delete': async ({ id }, { db }) => (await deleteUpgradePath(db, id), { deleted: true as const }),

  'packageMoves.preview': (input, { db, now }) => previewMove(db, input, now()),
  'packageMoves.apply': (input, { db, actor, now }) => applyMove(db, input, actor, now()),
  'packageMoves.list': ({ subscriptionId }, { db }) => listMoves(db, subscriptionId),
  'packageMoves.cancel': ({ id }, { db, actor }) => cancelMove(db, id, actor),
  'packageMoves.applyDue': ({ today }, { db, now }) => applyDueMoves(db, (today ?? dayOf(now())) as IsoDate, now()),

  'services.changePlanPreview': (input, { db, now }) => previewPlanChange(db, input, now()),

  'contracts.ofSubscription': ({ subscriptionId }, { db, now }) => subscriptionContracts(db, subscriptionId, now()),
  'accountPackages.end': (input, { db, actor, now }) => endAccountPackage(db, input, actor, now()),
};
