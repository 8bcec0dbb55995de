import { addMonths, type IsoDate } from '../../../electron/server/billing/rules/dates';
import { generateDemo } from '../../../electron/server/demo/generate';
import { type RunningApp, startApp } from './app';

export interface BillingDemo {
  app: RunningApp;
  /** The real day the app runs on (the browser runs in UTC). */
  today: IsoDate;
  /** The day the demo ISP last worked: a month ago. */
  demoDay: IsoDate;
}

/**
 * The running app on demo data whose billing stopped a month ago, as if the app had been closed
 * since: the demo generator bills and closes its own history up to `demoDay`, so a run today has a
 * month to catch up for every subscriber.
 */
export async function startBillingDemo(subscribers: number): Promise<BillingDemo> {
  const app = await startApp();
  const today = new Date().toISOString().slice(0, 10) as IsoDate;
  const demoDay = addMonths(today, -1);
  await generateDemo(app.t.backend.datastore.db, { subscribers, today: new Date(`${demoDay}T12:00:00Z`) });
  return { app, today, demoDay };
}
