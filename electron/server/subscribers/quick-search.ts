import type { z } from 'zod';
import type { searchHit } from '../../../shared/api/subscribers';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import { searchSubscriptionIds } from '../db/search';

type SearchHit = z.output<typeof searchHit>;

/** Ctrl+K: subscriptions whose name, unique ID, contact, phone or email starts with what was typed. */
export async function quickSearch(db: Db, query: string, limit: number): Promise<SearchHit[]> {
  const ids = await searchSubscriptionIds(db, query, limit);
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['s.id', 's.unique_id', 's.name', 's.status', 'c.first_name', 'c.last_name', 'c.phones', 'c.emails'])
    .where('s.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        subscriptionId: r.id,
        uniqueId: r.unique_id,
        name: r.name,
        contactName: `${r.first_name} ${r.last_name}`,
        status: r.status as SubscriptionStatus,
        phone: (JSON.parse(r.phones) as string[])[0] ?? null,
        email: (JSON.parse(r.emails) as string[])[0] ?? null,
      },
    ];
  });
}
