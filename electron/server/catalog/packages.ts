import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { contractFields, packageDetail, packageFields, packageProductFields, packageSummary, profileQuestionFields } from '../../../shared/api/catalog';
import type { Db } from '../db/open';
import { requireReference } from '../db/references';

type Summary = z.output<typeof packageSummary>;
type Detail = z.output<typeof packageDetail>;
type Fields = z.output<typeof packageFields>;
type ProductFields = z.output<typeof packageProductFields>;
type QuestionFields = z.output<typeof profileQuestionFields>;
type ContractFields = z.output<typeof contractFields>;

function summaryQuery(db: Db) {
  return db
    .selectFrom('packages as k')
    .select((eb) => [
      'k.id',
      'k.name',
      'k.description',
      'k.active',
      'k.created_at',
      'k.updated_at',
      eb.selectFrom('package_products').select(eb.fn.countAll<number>().as('n')).whereRef('package_id', '=', 'k.id').as('productCount'),
      eb.selectFrom('account_packages').select(eb.fn.countAll<number>().as('n')).whereRef('package_id', '=', 'k.id').as('accountPackageCount'),
      eb
        .selectFrom('package_products')
        .select((sb) => sb.fn.coalesce(sb.fn.sum<number>('price_cents'), sb.lit(0)).as('n'))
        .whereRef('package_id', '=', 'k.id')
        .where('rating_method', '=', 'recurring')
        .as('recurringCents'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function toSummary(r: Row): Summary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    active: r.active === 1,
    productCount: Number(r.productCount ?? 0),
    accountPackageCount: Number(r.accountPackageCount ?? 0),
    recurringCents: Number(r.recurringCents ?? 0),
  };
}

export async function getPackage(db: Db, id: number): Promise<Detail> {
  const row = await summaryQuery(db).where('k.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Package ${id} does not exist.`);
  const products = await db
    .selectFrom('package_products as pp')
    .leftJoin('plans as p', 'p.id', 'pp.plan_id')
    .selectAll('pp')
    .select(['p.name as plan_name', 'p.kind as plan_kind'])
    .where('pp.package_id', '=', id)
    .orderBy('pp.position')
    .orderBy('pp.id')
    .execute();
  const questions = await db.selectFrom('profile_questions').selectAll().where('package_id', '=', id).orderBy('position').orderBy('id').execute();
  const contracts = await db.selectFrom('contracts').selectAll().where('package_id', '=', id).orderBy('term_months').orderBy('id').execute();
  return {
    ...toSummary(row),
    products: products.map((p) => ({
      id: p.id,
      packageId: p.package_id,
      planId: p.plan_id,
      planName: p.plan_name,
      planKind: p.plan_kind as Detail['products'][number]['planKind'],
      name: p.name,
      ratingMethod: p.rating_method as Detail['products'][number]['ratingMethod'],
      priceCents: p.price_cents,
      minQuantity: p.min_quantity,
      unit: p.unit,
      position: p.position,
    })),
    questions: questions.map((q) => ({
      id: q.id,
      packageId: q.package_id,
      label: q.label,
      kind: q.kind as Detail['questions'][number]['kind'],
      choices: JSON.parse(q.choices) as string[],
      required: q.required === 1,
      position: q.position,
    })),
    contracts: contracts.map((c) => ({ id: c.id, packageId: c.package_id, name: c.name, termMonths: c.term_months, cancellationFeeCents: c.cancellation_fee_cents })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listPackages(db: Db, input: { query?: string; active?: boolean; page: number; pageSize: number }): Promise<{ rows: Summary[]; total: number }> {
  let base = summaryQuery(db);
  if (input.query) base = base.where('k.name', 'like', `%${input.query}%`);
  if (input.active !== undefined) base = base.where('k.active', '=', input.active ? 1 : 0);
  let count = db.selectFrom('packages as k');
  if (input.query) count = count.where('k.name', 'like', `%${input.query}%`);
  if (input.active !== undefined) count = count.where('k.active', '=', input.active ? 1 : 0);
  const { total } = await count.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.orderBy('k.name').limit(input.pageSize).offset((input.page - 1) * input.pageSize).execute();
  return { rows: rows.map(toSummary), total: Number(total) };
}

export async function createPackage(db: Db, input: Fields, now: Date): Promise<Detail> {
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('packages')
    .values({ name: input.name, description: input.description, active: input.active ? 1 : 0, created_at: stamp, updated_at: stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getPackage(db, id);
}

async function touch(db: Db, packageId: number, now: Date) {
  await db.updateTable('packages').set({ updated_at: now.toISOString() }).where('id', '=', packageId).execute();
}

export async function updatePackage(db: Db, id: number, patch: Partial<Fields>, now: Date): Promise<Detail> {
  await getPackage(db, id);
  await db
    .updateTable('packages')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return getPackage(db, id);
}

export async function deletePackage(db: Db, id: number): Promise<void> {
  const k = await getPackage(db, id);
  if (k.accountPackageCount > 0) {
    throw new ApiError('refused', `${k.name} was provisioned to ${k.accountPackageCount} subscription${k.accountPackageCount === 1 ? '' : 's'}; it cannot be deleted, but it can be made inactive.`);
  }
  await db.deleteFrom('packages').where('id', '=', id).execute();
}

// --- Products --------------------------------------------------------------------------------

function productColumns(f: Partial<ProductFields>) {
  return {
    ...(f.planId !== undefined && { plan_id: f.planId }),
    ...(f.name !== undefined && { name: f.name }),
    ...(f.ratingMethod !== undefined && { rating_method: f.ratingMethod }),
    ...(f.priceCents !== undefined && { price_cents: f.priceCents }),
    ...(f.minQuantity !== undefined && { min_quantity: f.minQuantity }),
    ...(f.unit !== undefined && { unit: f.unit }),
    ...(f.position !== undefined && { position: f.position }),
  };
}

async function ownerOf(db: Db, table: 'package_products' | 'profile_questions' | 'contracts', id: number, what: string): Promise<number> {
  const row = await db.selectFrom(table).select('package_id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `${what} ${id} does not exist.`);
  return row.package_id;
}

export async function addProduct(db: Db, input: ProductFields & { packageId: number }, now: Date): Promise<Detail> {
  await getPackage(db, input.packageId);
  await requireReference(db, 'plans', input.planId, 'planId', 'plan');
  await db
    .insertInto('package_products')
    .values({ package_id: input.packageId, name: input.name, rating_method: input.ratingMethod, price_cents: input.priceCents, ...productColumns(input) })
    .execute();
  await touch(db, input.packageId, now);
  return getPackage(db, input.packageId);
}

export async function updateProduct(db: Db, id: number, patch: Partial<ProductFields>, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'package_products', id, 'Package product');
  if (patch.planId) await requireReference(db, 'plans', patch.planId, 'planId', 'plan');
  const set = productColumns(patch);
  if (Object.keys(set).length > 0) await db.updateTable('package_products').set(set).where('id', '=', id).execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}

export async function removeProduct(db: Db, id: number, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'package_products', id, 'Package product');
  const { n } = await db.selectFrom('services').select((eb) => eb.fn.countAll<number>().as('n')).where('package_product_id', '=', id).executeTakeFirstOrThrow();
  if (Number(n) > 0) throw new ApiError('refused', `${n} service${Number(n) === 1 ? ' was' : 's were'} provisioned from this product; it cannot be removed.`);
  await db.deleteFrom('package_products').where('id', '=', id).execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}

// --- Profile questions --------------------------------------------------------------------------

function checkChoices(kind: string, choices: string[]) {
  if (kind === 'choice' && choices.length === 0) throw fieldError('choices', 'A choice question needs at least one choice');
  if (new Set(choices).size !== choices.length) throw fieldError('choices', 'Each choice must be different');
}

export async function addQuestion(db: Db, input: QuestionFields & { packageId: number }, now: Date): Promise<Detail> {
  await getPackage(db, input.packageId);
  checkChoices(input.kind, input.choices);
  await db
    .insertInto('profile_questions')
    .values({
      package_id: input.packageId,
      label: input.label,
      kind: input.kind,
      choices: JSON.stringify(input.kind === 'choice' ? input.choices : []),
      required: input.required ? 1 : 0,
      position: input.position,
    })
    .execute();
  await touch(db, input.packageId, now);
  return getPackage(db, input.packageId);
}

export async function updateQuestion(db: Db, id: number, patch: Partial<QuestionFields>, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'profile_questions', id, 'Profile question');
  const current = await db.selectFrom('profile_questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const kind = patch.kind ?? current.kind;
  const choices = patch.choices ?? (JSON.parse(current.choices) as string[]);
  checkChoices(kind, choices);
  await db
    .updateTable('profile_questions')
    .set({
      ...(patch.label !== undefined && { label: patch.label }),
      kind,
      choices: JSON.stringify(kind === 'choice' ? choices : []),
      ...(patch.required !== undefined && { required: patch.required ? 1 : 0 }),
      ...(patch.position !== undefined && { position: patch.position }),
    })
    .where('id', '=', id)
    .execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}

export async function removeQuestion(db: Db, id: number, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'profile_questions', id, 'Profile question');
  const { n } = await db.selectFrom('service_profile_answers').select((eb) => eb.fn.countAll<number>().as('n')).where('question_id', '=', id).executeTakeFirstOrThrow();
  if (Number(n) > 0) throw new ApiError('refused', `${n} service${Number(n) === 1 ? ' has' : 's have'} answered this question; removing it would lose those answers.`);
  await db.deleteFrom('profile_questions').where('id', '=', id).execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}

// --- Contracts -------------------------------------------------------------------------------

export async function addContract(db: Db, input: ContractFields & { packageId: number }, now: Date): Promise<Detail> {
  await getPackage(db, input.packageId);
  await db
    .insertInto('contracts')
    .values({ package_id: input.packageId, name: input.name, term_months: input.termMonths, cancellation_fee_cents: input.cancellationFeeCents })
    .execute();
  await touch(db, input.packageId, now);
  return getPackage(db, input.packageId);
}

export async function updateContract(db: Db, id: number, patch: Partial<ContractFields>, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'contracts', id, 'Contract');
  const set = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.termMonths !== undefined && { term_months: patch.termMonths }),
    ...(patch.cancellationFeeCents !== undefined && { cancellation_fee_cents: patch.cancellationFeeCents }),
  };
  if (Object.keys(set).length > 0) await db.updateTable('contracts').set(set).where('id', '=', id).execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}

export async function removeContract(db: Db, id: number, now: Date): Promise<Detail> {
  const packageId = await ownerOf(db, 'contracts', id, 'Contract');
  const { n } = await db.selectFrom('account_packages').select((eb) => eb.fn.countAll<number>().as('n')).where('contract_id', '=', id).executeTakeFirstOrThrow();
  if (Number(n) > 0) throw new ApiError('refused', `${n} account package${Number(n) === 1 ? ' is' : 's are'} under this contract; it cannot be removed.`);
  await db.deleteFrom('contracts').where('id', '=', id).execute();
  await touch(db, packageId, now);
  return getPackage(db, packageId);
}
