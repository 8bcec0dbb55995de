import type { dashboardApi } from '../../../shared/api/dashboard';
import type { IsoDate } from '../../../shared/domain/types';
import type { HandlersFor } from '../api/handlers';
import { dayOf } from '../billing/settings';
import { dashboardSummaryOf } from './summary';

export const dashboardHandlers: HandlersFor<typeof dashboardApi> = {
  'dashboard.summary': ({ asOf }, { db, now }) => dashboardSummaryOf(db, asOf ? (asOf as IsoDate) : dayOf(now())),
};
