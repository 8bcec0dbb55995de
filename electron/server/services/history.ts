import type { Db } from '../db/open';

/**
 * Reasons a service must be kept (archived) rather than deleted: one check per kind of history.
 * Each returns a short phrase ("2 scheduled changes") or null. Billing adds its check (charges on
 * invoices) to this list.
 */
export type ServiceHistoryCheck = (db: Db, serviceId: number) => Promise<string | null>;

const scheduledChanges: ServiceHistoryCheck = async (db, serviceId) => {
  const { n } = await db.selectFrom('scheduled_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('service_id', '=', serviceId).executeTakeFirstOrThrow();
  const count = Number(n);
  return count > 0 ? `${count} scheduled change${count === 1 ? '' : 's'}` : null;
};

export const serviceHistoryChecks: ServiceHistoryCheck[] = [scheduledChanges];

/** Everything that makes a service history; empty when it can simply be deleted. */
export async function serviceHistory(db: Db, serviceId: number): Promise<string[]> {
  const found: string[] = [];
  for (const check of serviceHistoryChecks) {
    const reason = await check(db, serviceId);
    if (reason) found.push(reason);
  }
  return found;
}
