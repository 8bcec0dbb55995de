import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { taxClass, taxClassFields } from '../../../shared/api/catalog';
import type { Db } from '../db/open';

type TaxClass = z.output<typeof taxClass>;
type Fields = z.output<typeof taxClassFields>;

function query(db: Db) {
  return db
    .selectFrom('tax_classes as t')
    .select((eb) => [
      't.id',
      't.name',
      't.rate_percent',
      't.active',
      eb.selectFrom('plans').select(eb.fn.countAll<number>().as('n')).whereRef('tax_class_id', '=', 't.id').as('planCount'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

const toTaxClass = (r: Row): TaxClass => ({ id: r.id, name: r.name, ratePercent: r.rate_percent, active: r.active === 1, planCount: Number(r.planCount ?? 0) });

export async function getTaxClass(db: Db, id: number): Promise<TaxClass> {
  const row = await query(db).where('t.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Tax class ${id} does not exist.`);
  return toTaxClass(row);
}

export async function listTaxClasses(db: Db): Promise<TaxClass[]> {
  return (await query(db).orderBy('t.name').execute()).map(toTaxClass);
}

function columns(f: Partial<Fields>) {
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.ratePercent !== undefined && { rate_percent: f.ratePercent }),
    ...(f.active !== undefined && { active: f.active ? 1 : 0 }),
  };
}

export async function createTaxClass(db: Db, input: Fields, now: Date): Promise<TaxClass> {
  const { id } = await db
    .insertInto('tax_classes')
    .values({ name: input.name, rate_percent: input.ratePercent, ...columns(input), created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getTaxClass(db, id);
}

export async function updateTaxClass(db: Db, id: number, patch: Partial<Fields>): Promise<TaxClass> {
  await getTaxClass(db, id);
  const set = columns(patch);
  if (Object.keys(set).length > 0) await db.updateTable('tax_classes').set(set).where('id', '=', id).execute();
  return getTaxClass(db, id);
}

export async function deleteTaxClass(db: Db, id: number): Promise<void> {
  const t = await getTaxClass(db, id);
  if (t.planCount > 0) throw new ApiError('refused', `${t.name} is the tax class of ${t.planCount} plan${t.planCount === 1 ? '' : 's'}; move them to another class first, or mark it inactive.`);
  await db.deleteFrom('tax_classes').where('id', '=', id).execute();
}
