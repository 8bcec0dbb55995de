import type { usageApi } from '../../../shared/api/usage';
import type { HandlersFor } from '../api/handlers';
import { dayOf } from '../billing/settings';
import { applyCaps, capActions, getPlanCap, setPlanCap } from './caps';
import { dailyUsage, getUsageSettings, hourlyUsage, monthUsage, presence, updateUsageSettings } from './queries';

export const usageHandlers: HandlersFor<typeof usageApi> = {
  'usage.daily': (input, { db }) => dailyUsage(db, input.serviceId, input.from, input.to),
  'usage.hourly': (input, { db }) => hourlyUsage(db, input.serviceId, input.day),
  'usage.month': (input, { db, now }) => monthUsage(db, input.subscriptionId, input.day ?? dayOf(now())),
  'usage.presence': (input, { db }) => presence(db, input.serviceIds),
  'usage.settings': (_input, { db }) => getUsageSettings(db),
  'usage.updateSettings': (input, { db, now }) => updateUsageSettings(db, input, now()),
  'usage.planCap': (input, { db }) => getPlanCap(db, input.planId),
  'usage.setPlanCap': (input, { db, now }) => setPlanCap(db, input.planId, input.cap, now()),
  'usage.capActions': (input, { db }) => capActions(db, input.serviceId),
  'usage.applyCaps': (_input, { db, now }) => applyCaps(db, now()),
};
