import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * The insert trigger of migration 1700 works the name sort key out with an UPDATE of the row just
 * inserted: a third of the cost of importing a subscription. It now runs only when the writer left
 * the key out (the column's default ''); the import gives it, worked out by subscriptionNameSortKey
 * with this same expression. A name whose key really is '' (all spaces) is worked out again to ''.
 */
const KEY = `lower(case when trim(new.name) = c.first_name || ' ' || c.last_name then c.last_name || ' ' || c.first_name else trim(new.name) end)`;

export const migration: Migration = {
  id: '2500-subscription-name-sort-key-given-on-insert',
  steps: () => [
    sql.raw('drop trigger subscriptions_name_sort_key_insert'),
    sql.raw(`create trigger subscriptions_name_sort_key_insert after insert on subscriptions when new.name_sort_key = '' begin
      update subscriptions set name_sort_key = (select ${KEY} from contacts c where c.id = new.contact_id) where id = new.id;
    end`),
  ],
};
