import type { catalogApi } from '../../../shared/api/catalog';
import type { HandlersFor } from '../api/handlers';
import { createHotspotPlan, deleteHotspotPlan, getHotspotPlan, listHotspotPlans, updateHotspotPlan } from './hotspot-plans';
import {
  addContract,
  addProduct,
  addQuestion,
  createPackage,
  deletePackage,
  getPackage,
  listPackages,
  removeContract,
  removeProduct,
  removeQuestion,
  updateContract,
  updatePackage,
  updateProduct,
  updateQuestion,
} from './packages';
import { createPlan, deletePlan, getPlan, listPlans, retirePlan, updatePlan } from './plans';
import { createTaxClass, deleteTaxClass, listTaxClasses, updateTaxClass } from './tax-classes';

const done = { deleted: true } as const;

export const catalogHandlers: HandlersFor<typeof catalogApi> = {
  'taxClasses.create': (input, { db, now }) => createTaxClass(db, input, now()),
  'taxClasses.list': (_input, { db }) => listTaxClasses(db),
  'taxClasses.update': ({ id, ...patch }, { db }) => updateTaxClass(db, id, patch),
  'taxClasses.delete': async ({ id }, { db }) => (await deleteTaxClass(db, id), done),

  'plans.create': (input, { db, now }) => createPlan(db, input, now()),
  'plans.get': ({ id }, { db }) => getPlan(db, id),
  'plans.list': (input, { db }) => listPlans(db, input),
  'plans.update': ({ id, ...patch }, { db, now }) => updatePlan(db, id, patch, now()),
  'plans.retire': ({ id }, { db, now }) => retirePlan(db, id, now()),
  'plans.delete': async ({ id }, { db }) => (await deletePlan(db, id), done),

  'packages.create': (input, { db, now }) => createPackage(db, input, now()),
  'packages.get': ({ id }, { db }) => getPackage(db, id),
  'packages.list': (input, { db }) => listPackages(db, input),
  'packages.update': ({ id, ...patch }, { db, now }) => updatePackage(db, id, patch, now()),
  'packages.delete': async ({ id }, { db }) => (await deletePackage(db, id), done),
  'packages.addProduct': (input, { db, now }) => addProduct(db, input, now()),
  'packages.updateProduct': ({ id, ...patch }, { db, now }) => updateProduct(db, id, patch, now()),
  'packages.removeProduct': ({ id }, { db, now }) => removeProduct(db, id, now()),
  'packages.addQuestion': (input, { db, now }) => addQuestion(db, input, now()),
  'packages.updateQuestion': ({ id, ...patch }, { db, now }) => updateQuestion(db, id, patch, now()),
  'packages.removeQuestion': ({ id }, { db, now }) => removeQuestion(db, id, now()),
  'packages.addContract': (input, { db, now }) => addContract(db, input, now()),
  'packages.updateContract': ({ id, ...patch }, { db, now }) => updateContract(db, id, patch, now()),
  'packages.removeContract': ({ id }, { db, now }) => removeContract(db, id, now()),

  'hotspotPlans.create': (input, { db, now }) => createHotspotPlan(db, input, now()),
  'hotspotPlans.get': ({ id }, { db }) => getHotspotPlan(db, id),
  'hotspotPlans.list': ({ active }, { db }) => listHotspotPlans(db, active),
  'hotspotPlans.update': ({ id, ...patch }, { db, now }) => updateHotspotPlan(db, id, patch, now()),
  'hotspotPlans.delete': async ({ id }, { db }) => (await deleteHotspotPlan(db, id), done),
};
