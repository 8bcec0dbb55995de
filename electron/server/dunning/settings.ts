import type { z } from 'zod';
import type { dunningSettings, dunningSettingsFields } from '../../../shared/api/dunning';
import { ApiError } from '../../../shared/api/errors';
import type { IsoDate } from '../../../shared/domain/types';
import type { Db } from '../db/open';
import { type DunningPolicy, WEEKDAYS, type Weekday, policyProblem } from './rules';

type Settings = z.output<typeof dunningSettings>;
type Fields = z.output<typeof dunningSettingsFields>;

const weekdays = (json: string): Weekday[] => (JSON.parse(json) as string[]).filter((w): w is Weekday => (WEEKDAYS as readonly string[]).includes(w));

export async function getDunningSettings(db: Db): Promise<Settings> {
  const [r, billing] = await Promise.all([
    db.selectFrom('dunning_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow(),
    db.selectFrom('billing_settings').select('grace_days').where('id', '=', 1).executeTakeFirstOrThrow(),
  ]);
  return {
    enabled: r.enabled === 1,
    graceDays: billing.grace_days,
    minimumOverdueCents: r.minimum_overdue_cents,
    noCutoffWeekdays: weekdays(r.no_cutoff_weekdays),
    holidays: (JSON.parse(r.holidays) as string[]).sort(),
    noticeDays: r.notice_days,
    throttleDays: r.throttle_days,
    throttleRate: r.throttle_rate,
    lastRunDate: r.last_run_date,
    updatedAt: r.updated_at,
  };
}

export function policyOf(s: Settings): DunningPolicy {
  return {
    graceDays: s.graceDays,
    minimumCents: s.minimumOverdueCents,
    noticeDays: s.noticeDays,
    throttleDays: s.throttleDays,
    noCutoffWeekdays: s.noCutoffWeekdays,
    holidays: s.holidays as IsoDate[],
  };
}

export async function updateDunningSettings(db: Db, patch: Partial<Fields>, now: Date): Promise<Settings> {
  const current = await getDunningSettings(db);
  const next = { ...current, ...patch };
  const problem = policyProblem(next);
  if (problem) throw new ApiError('validation', problem.message, { [problem.field]: problem.message });
  if (next.throttleDays !== null && !next.throttleRate) {
    throw new ApiError('validation', 'A throttle stage needs the rate to throttle to.', { throttleRate: 'Required with a throttle stage' });
  }
  const stamp = now.toISOString();
  // One value for the grace period, kept where the billing settings always had it.
  if (patch.graceDays !== undefined) await db.updateTable('billing_settings').set({ grace_days: patch.graceDays, updated_at: stamp }).where('id', '=', 1).execute();
  await db
    .updateTable('dunning_settings')
    .set({
      enabled: next.enabled ? 1 : 0,
      minimum_overdue_cents: next.minimumOverdueCents,
      no_cutoff_weekdays: JSON.stringify(WEEKDAYS.filter((w) => next.noCutoffWeekdays.includes(w))),
      holidays: JSON.stringify([...next.holidays].sort()),
      notice_days: next.noticeDays,
      throttle_days: next.throttleDays,
      throttle_rate: next.throttleRate,
      updated_at: stamp,
    })
    .where('id', '=', 1)
    .execute();
  return getDunningSettings(db);
}
