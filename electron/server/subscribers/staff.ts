import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { staffFields, staffMember } from '../../../shared/api/subscribers';
import type { Db } from '../db/open';
import { refreshEngineerSortName } from './sort-keys';

type StaffMember = z.output<typeof staffMember>;
type StaffFields = z.output<typeof staffFields>;

function staffQuery(db: Db) {
  return db
    .selectFrom('staff as st')
    .select((eb) => [
      'st.id',
      'st.name',
      'st.email',
      'st.phone',
      'st.role',
      'st.active',
      eb.selectFrom('subscriptions').select(eb.fn.countAll<number>().as('n')).whereRef('engineer_id', '=', 'st.id').as('subscriptionCount'),
    ]);
}

function toStaff(r: { id: number; name: string; email: string | null; phone: string | null; role: string; active: number; subscriptionCount: number | null }): StaffMember {
  return { ...r, role: r.role as StaffMember['role'], active: r.active === 1, subscriptionCount: Number(r.subscriptionCount ?? 0) };
}

export async function getStaff(db: Db, id: number): Promise<StaffMember> {
  const row = await staffQuery(db).where('st.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Staff member ${id} does not exist.`);
  return toStaff(row);
}

export async function listStaff(db: Db, includeInactive: boolean): Promise<StaffMember[]> {
  let q = staffQuery(db).orderBy('st.active', 'desc').orderBy('st.name');
  if (!includeInactive) q = q.where('st.active', '=', 1);
  return (await q.execute()).map(toStaff);
}

export async function createStaff(db: Db, input: StaffFields, now: Date): Promise<StaffMember> {
  const { id } = await db
    .insertInto('staff')
    .values({ name: input.name, email: input.email ?? null, phone: input.phone ?? null, role: input.role, active: input.active ? 1 : 0, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getStaff(db, id);
}

export async function updateStaff(db: Db, id: number, patch: Partial<StaffFields>): Promise<StaffMember> {
  await getStaff(db, id);
  const set = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.email !== undefined && { email: patch.email }),
    ...(patch.phone !== undefined && { phone: patch.phone }),
    ...(patch.role !== undefined && { role: patch.role }),
    ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
  };
  if (Object.keys(set).length) await db.updateTable('staff').set(set).where('id', '=', id).execute();
  if (patch.name !== undefined) await refreshEngineerSortName(db, id);
  return getStaff(db, id);
}

export async function deleteStaff(db: Db, id: number): Promise<void> {
  const member = await getStaff(db, id);
  if (member.subscriptionCount > 0) {
    throw new ApiError(
      'refused',
      `${member.name} is the engineer of ${member.subscriptionCount} subscription${member.subscriptionCount === 1 ? '' : 's'}; hand them to someone else first, or mark ${member.name} inactive.`,
    );
  }
  await db.deleteFrom('staff').where('id', '=', id).execute();
}
