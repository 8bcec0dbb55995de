/**
 * Upgrade paths (DOMAIN.md, "Upgrade path"): which packages a package may move to, with the flat
 * fee, the target product the fee is posted on (taxed like it), the contract rule and whether the
 * wizard bills the target's one-time products by default.
 */
import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { upgradePath, upgradePathFields } from '../../../shared/api/moves';
import type { Db } from '../db/open';

type UpgradePath = z.output<typeof upgradePath>;
type Fields = z.output<typeof upgradePathFields>;

function pathQuery(db: Db) {
  return db
    .selectFrom('upgrade_paths as u')
    .innerJoin('packages as p', 'p.id', 'u.package_id')
    .innerJoin('packages as t', 't.id', 'u.target_package_id')
    .leftJoin('package_products as pp', 'pp.id', 'u.fee_product_id')
    .select(['u.id', 'u.package_id', 'p.name as package_name', 'u.target_package_id', 't.name as target_name', 't.active as target_active', 'u.fee_cents', 'u.fee_product_id', 'pp.name as fee_product_name', 'u.contract_rule', 'u.bill_one_time']);
}

type Row = Awaited<ReturnType<ReturnType<typeof pathQuery>['executeTakeFirstOrThrow']>>;

const toPath = (r: Row): UpgradePath => ({
  id: r.id,
  packageId: r.package_id,
  packageName: r.package_name,
  targetPackageId: r.target_package_id,
  targetPackageName: r.target_name,
  targetActive: r.target_active === 1,
  feeCents: r.fee_cents,
  feeProductId: r.fee_product_id,
  feeProductName: r.fee_product_name,
  contractRule: r.contract_rule as UpgradePath['contractRule'],
  billOneTime: r.bill_one_time === 1,
});

export async function getUpgradePath(db: Db, id: number): Promise<UpgradePath> {
  const r = await pathQuery(db).where('u.id', '=', id).executeTakeFirst();
  if (!r) throw new ApiError('not_found', `Upgrade path ${id} does not exist.`);
  return toPath(r);
}

export async function listUpgradePaths(db: Db, packageId: number): Promise<UpgradePath[]> {
  const pkg = await db.selectFrom('packages').select('id').where('id', '=', packageId).executeTakeFirst();
  if (!pkg) throw fieldError('packageId', `No package ${packageId}`);
  return (await pathQuery(db).where('u.package_id', '=', packageId).orderBy('t.name').execute()).map(toPath);
}

/** The path from one package to another, if configured. */
export async function findUpgradePath(db: Db, packageId: number, targetPackageId: number): Promise<UpgradePath | null> {
  const r = await pathQuery(db).where('u.package_id', '=', packageId).where('u.target_package_id', '=', targetPackageId).executeTakeFirst();
  return r ? toPath(r) : null;
}

async function checkFeeProduct(db: Db, targetPackageId: number, feeProductId: number | null, feeCents: number): Promise<void> {
  if (feeProductId === null) {
    if (feeCents > 0) throw fieldError('feeProductId', 'Choose the target product the fee is posted on (it is taxed like it)');
    return;
  }
  const p = await db.selectFrom('package_products').select(['package_id']).where('id', '=', feeProductId).executeTakeFirst();
  if (!p || p.package_id !== targetPackageId) throw fieldError('feeProductId', 'Not a product of the target package');
}

export async function createUpgradePath(db: Db, input: Fields & { packageId: number }, now: Date): Promise<UpgradePath> {
  const pkg = await db.selectFrom('packages').select('id').where('id', '=', input.packageId).executeTakeFirst();
  if (!pkg) throw fieldError('packageId', `No package ${input.packageId}`);
  if (input.targetPackageId === input.packageId) throw fieldError('targetPackageId', 'A package cannot move to itself');
  const target = await db.selectFrom('packages').select(['id', 'name']).where('id', '=', input.targetPackageId).executeTakeFirst();
  if (!target) throw fieldError('targetPackageId', `No package ${input.targetPackageId}`);
  if (await findUpgradePath(db, input.packageId, input.targetPackageId)) throw new ApiError('conflict', `A path to ${target.name} already exists; edit it instead.`, { targetPackageId: 'Already a target' });
  await checkFeeProduct(db, input.targetPackageId, input.feeProductId, input.feeCents);
  const stamp = now.toISOString();
  const { id } = await db
    .insertInto('upgrade_paths')
    .values({
      package_id: input.packageId,
      target_package_id: input.targetPackageId,
      fee_cents: input.feeCents,
      fee_product_id: input.feeProductId,
      contract_rule: input.contractRule,
      bill_one_time: input.billOneTime ? 1 : 0,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return getUpgradePath(db, id);
}

export async function updateUpgradePath(
  db: Db,
  id: number,
  patch: { feeCents?: number | undefined; feeProductId?: number | null | undefined; contractRule?: Fields['contractRule'] | undefined; billOneTime?: boolean | undefined },
  now: Date,
): Promise<UpgradePath> {
  const current = await getUpgradePath(db, id);
  const feeCents = patch.feeCents ?? current.feeCents;
  const feeProductId = patch.feeProductId === undefined ? current.feeProductId : patch.feeProductId;
  await checkFeeProduct(db, current.targetPackageId, feeProductId, feeCents);
  await db
    .updateTable('upgrade_paths')
    .set({
      fee_cents: feeCents,
      fee_product_id: feeProductId,
      contract_rule: patch.contractRule ?? current.contractRule,
      bill_one_time: (patch.billOneTime ?? current.billOneTime) ? 1 : 0,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return getUpgradePath(db, id);
}

export async function deleteUpgradePath(db: Db, id: number): Promise<void> {
  await getUpgradePath(db, id);
  await db.deleteFrom('upgrade_paths').where('id', '=', id).execute();
}
