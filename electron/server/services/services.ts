import type { z } from 'zod';
import { ApiError, fieldError } from '../../../shared/api/errors';
import type { scheduledChange, service, serviceEditable, serviceFields } from '../../../shared/api/services';
import { isClosed, type SubscriptionStatus } from '../../../shared/domain/subscription-status';
import { constraintViolation } from '../db/errors';
import type { Db } from '../db/open';
import { requireReference } from '../db/references';
import { checkPermanentAddress, checkPool, checkRoutedNetwork, releaseAllocations, setAllocations } from '../network/allocations';
import { serviceHistory } from './history';
import { type ProfileQuestionRule, checkProfileAnswers, dateProblems, effectivePrice, passwordThatApplies } from './rules';
import { describeChange } from './scheduled-rules';
import { loginHolder } from '../db/logins';

type Service = z.output<typeof service>;
type ScheduledChange = z.output<typeof scheduledChange>;
export type ServiceFields = z.output<typeof serviceFields>;
type Editable = z.output<typeof serviceEditable>;

function serviceQuery(db: Db) {
  return db
    .selectFrom('services as s')
    .innerJoin('plans as p', 'p.id', 's.plan_id')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .leftJoin('routers as r', 'r.id', 's.router_id')
    .leftJoin('ip_networks as pool', 'pool.id', 's.pool_network_id')
    .selectAll('s')
    .select([
      'p.name as plan_name',
      'p.kind as plan_kind',
      'p.qos_mode',
      'p.download_kbps',
      'p.upload_kbps',
      'p.price_cents as plan_price_cents',
      'sub.service_password',
      'r.name as router_name',
      'pool.cidr as pool_cidr',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof serviceQuery>['executeTakeFirstOrThrow']>>;

export async function scheduledChangesOf(db: Db, serviceIds: number[], pendingOnly: boolean): Promise<ScheduledChange[]> {
  if (serviceIds.length === 0) return [];
  let q = db
    .selectFrom('scheduled_changes as c')
    .leftJoin('plans as p', 'p.id', 'c.new_plan_id')
    .selectAll('c')
    .select('p.name as plan_name')
    .where('c.service_id', 'in', serviceIds);
  if (pendingOnly) q = q.where('c.state', '=', 'pending');
  const rows = await q.orderBy((eb) => eb.case().when('c.state', '=', 'pending').then(0).else(1).end()).orderBy('c.effective_date').orderBy('c.id').execute();
  return rows.map((c) => {
    const change: ScheduledChange = {
      id: c.id,
      serviceId: c.service_id,
      effectiveDate: c.effective_date,
      kind: c.kind as ScheduledChange['kind'],
      planId: c.new_plan_id,
      planName: c.plan_name,
      priceCents: c.new_price_cents,
      status: c.new_status as ScheduledChange['status'],
      discountPercent: c.discount_percent,
      discountStart: c.discount_start,
      discountEnd: c.discount_end,
      state: c.state as ScheduledChange['state'],
      outcome: c.outcome,
      summary: '',
      createdAt: c.created_at,
      createdBy: c.created_by_name,
      appliedAt: c.applied_at,
    };
    return { ...change, summary: describeChange(change) };
  });
}

async function toServices(db: Db, rows: Row[]): Promise<Service[]> {
  const ids = rows.map((r) => r.id);
  const answers = ids.length
    ? await db
        .selectFrom('service_profile_answers as a')
        .innerJoin('profile_questions as q', 'q.id', 'a.question_id')
        .select(['a.service_id', 'a.question_id', 'q.label', 'a.answer'])
        .where('a.service_id', 'in', ids)
        .orderBy('q.position')
        .orderBy('q.id')
        .execute()
    : [];
  const pending = await scheduledChangesOf(db, ids, true);
  return rows.map((r) => {
    const price = effectivePrice(r.price_cents, r.plan_price_cents);
    const password = passwordThatApplies(r.password, r.service_password);
    return {
      id: r.id,
      subscriptionId: r.subscription_id,
      accountPackageId: r.account_package_id,
      packageProductId: r.package_product_id,
      planId: r.plan_id,
      planName: r.plan_name,
      planKind: r.plan_kind as Service['planKind'],
      qosMode: r.qos_mode as Service['qosMode'],
      downloadKbps: r.download_kbps,
      uploadKbps: r.upload_kbps,
      description: r.description,
      quantity: r.quantity,
      unit: r.unit,
      priceCents: price.priceCents,
      planPriceCents: r.plan_price_cents,
      priceOverridden: price.overridden,
      payPeriodMonths: r.pay_period_months,
      ratingMethod: r.rating_method as Service['ratingMethod'],
      startDate: r.start_date,
      endDate: r.end_date,
      discountPercent: r.discount_percent,
      discountStart: r.discount_start,
      discountEnd: r.discount_end,
      status: r.status as Service['status'],
      stoppedBySubscription: r.stopped_by_subscription === 1,
      routerId: r.router_id,
      routerName: r.router_name,
      login: r.login,
      password: password.password,
      passwordSource: password.source,
      ipv4Assignment: r.ipv4_assignment as Service['ipv4Assignment'],
      ipv4Address: r.ipv4_address,
      routedNetwork: r.routed_network,
      poolNetworkId: r.pool_network_id,
      poolNetworkCidr: r.pool_cidr,
      macAddresses: r.mac_addresses ? r.mac_addresses.split(',') : [],
      portId: r.port_id,
      latitude: r.latitude,
      longitude: r.longitude,
      profileAnswers: answers.filter((a) => a.service_id === r.id).map((a) => ({ questionId: a.question_id, label: a.label, answer: a.answer })),
      pendingChanges: pending.filter((c) => c.serviceId === r.id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function getService(db: Db, id: number): Promise<Service> {
  const row = await serviceQuery(db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `Service ${id} does not exist.`);
  return (await toServices(db, [row]))[0]!;
}

export async function listServices(
  db: Db,
  input: { subscriptionId: number; includeArchived: boolean; status?: Service['status']; page: number; pageSize: number },
): Promise<{ rows: Service[]; total: number }> {
  await requireReference(db, 'subscriptions', input.subscriptionId, 'subscriptionId', 'subscription');
  let base = db.selectFrom('services as s').where('s.subscription_id', '=', input.subscriptionId);
  if (input.status) base = base.where('s.status', '=', input.status);
  else if (!input.includeArchived) base = base.where('s.status', '<>', 'Archived');
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const ids = (await base.select('s.id').orderBy('s.id', 'desc').limit(input.pageSize).offset((input.page - 1) * input.pageSize).execute()).map((r) => r.id);
  if (ids.length === 0) return { rows: [], total: Number(total) };
  const rows = await serviceQuery(db).where('s.id', 'in', ids).orderBy('s.id', 'desc').execute();
  return { rows: await toServices(db, rows), total: Number(total) };
}

// --- Writing ---------------------------------------------------------------------------------

/** A service's stored state, as the rules see it (create input, or current row merged with an edit). */
export interface ServiceState extends Omit<Editable, 'profileAnswers' | 'macAddresses' | 'description' | 'payPeriodMonths'> {
  subscriptionId: number;
  accountPackageId: number | null;
  packageProductId: number | null;
  description: string | null;
  payPeriodMonths: number | null;
  macAddresses: string[] | null;
}

const TARIFF_OPTIONS = ['routerId', 'login', 'password', 'routedNetwork', 'poolNetworkId', 'macAddresses', 'portId'] as const;

interface Checked {
  columns: {
    plan_id: number;
    description: string;
    quantity: string;
    unit: string | null;
    price_cents: number | null;
    pay_period_months: number;
    rating_method: string;
    start_date: string;
    end_date: string | null;
    discount_percent: string | null;
    discount_start: string | null;
    discount_end: string | null;
    status: string;
    router_id: number | null;
    login: string | null;
    password: string | null;
    ipv4_assignment: string;
    ipv4_address: string | null;
    routed_network: string | null;
    pool_network_id: number | null;
    mac_addresses: string | null;
    port_id: string | null;
    latitude: number | null;
    longitude: number | null;
  };
  addressNetworkId: number | null;
  questions: ProfileQuestionRule[];
}

export interface ServicePlan {
  id: number;
  kind: string;
  name: string;
  active: number;
  pay_period_months: number;
}

/**
 * The rules a service's fields must satisfy that need nothing stored but its plan: dates, tariff
 * options only on Internet plans, an address for a permanent assignment. Pure, so a bulk import
 * checks thousands of rows with exactly the form's rules.
 */
export function checkServiceWithPlan(plan: ServicePlan, s: ServiceState): void {
  const problems = dateProblems({ startDate: s.startDate, endDate: s.endDate, discountPercent: s.discountPercent, discountStart: s.discountStart, discountEnd: s.discountEnd });
  if (Object.keys(problems).length > 0) throw new ApiError('validation', Object.values(problems).join('; '), problems);
  if (plan.kind !== 'Internet') {
    const set = TARIFF_OPTIONS.find((k) => s[k] !== null && !(Array.isArray(s[k]) && s[k].length === 0));
    if (set) throw fieldError(set, `Tariff options apply to Internet plans only; ${plan.name} is a ${plan.kind} plan`);
    if (s.ipv4Assignment !== 'none') throw fieldError('ipv4Assignment', `Tariff options apply to Internet plans only; ${plan.name} is a ${plan.kind} plan`);
  }
  if (s.ipv4Assignment === 'permanent' && !s.ipv4Address) throw fieldError('ipv4Address', 'A permanent assignment needs an address');
}

/** The stored columns of a service whose fields passed the rules. */
export function serviceColumnsOf(plan: ServicePlan, s: ServiceState): Checked['columns'] {
  return {
    plan_id: plan.id,
    description: s.description ?? plan.name,
    quantity: s.quantity,
    unit: s.unit,
    price_cents: s.priceCents,
    pay_period_months: s.payPeriodMonths ?? plan.pay_period_months,
    rating_method: s.ratingMethod,
    start_date: s.startDate,
    end_date: s.endDate,
    discount_percent: s.discountPercent,
    discount_start: s.discountPercent === null ? null : s.discountStart,
    discount_end: s.discountPercent === null ? null : s.discountEnd,
    status: s.status,
    router_id: s.routerId,
    login: s.login,
    password: s.password,
    ipv4_assignment: s.ipv4Assignment,
    ipv4_address: s.ipv4Assignment === 'permanent' ? s.ipv4Address : null,
    routed_network: s.routedNetwork,
    pool_network_id: s.ipv4Assignment === 'dynamic' ? s.poolNetworkId : null,
    mac_addresses: s.macAddresses && s.macAddresses.length > 0 ? s.macAddresses.join(',') : null,
    port_id: s.portId,
    latitude: s.latitude,
    longitude: s.longitude,
  };
}

/** A service added while its subscription is Inactive starts stopped, like its siblings. */
export function startingStatus(subscriptionStatus: SubscriptionStatus, status: string): { status: string; stopped_by_subscription: 0 | 1 } {
  return subscriptionStatus === 'Inactive' && status === 'Active' ? { status: 'Stopped', stopped_by_subscription: 1 } : { status, stopped_by_subscription: 0 };
}

/** Every rule a service's fields must satisfy together, with errors naming the field at fault. */
async function checkService(db: Db, s: ServiceState, serviceId: number | null): Promise<Checked> {
  const plan = await db.selectFrom('plans').select(['id', 'kind', 'name', 'active', 'pay_period_months']).where('id', '=', s.planId).executeTakeFirst();
  if (!plan) throw fieldError('planId', `No plan ${s.planId}`);
  checkServiceWithPlan(plan, s);

  let questions: ProfileQuestionRule[] = [];
  if (s.accountPackageId !== null) {
    const ap = await db.selectFrom('account_packages').select(['subscription_id', 'package_id']).where('id', '=', s.accountPackageId).executeTakeFirst();
    if (!ap || ap.subscription_id !== s.subscriptionId) throw fieldError('accountPackageId', `No account package ${s.accountPackageId} on this subscription`);
    if (s.packageProductId !== null) {
      const product = await db.selectFrom('package_products').select('package_id').where('id', '=', s.packageProductId).executeTakeFirst();
      if (!product || product.package_id !== ap.package_id) throw fieldError('packageProductId', `Product ${s.packageProductId} is not in this account package's package`);
    }
    questions = (await db.selectFrom('profile_questions').selectAll().where('package_id', '=', ap.package_id).orderBy('position').execute()).map((q) => ({
      id: q.id,
      label: q.label,
      kind: q.kind as ProfileQuestionRule['kind'],
      choices: JSON.parse(q.choices) as string[],
      required: q.required === 1,
    }));
  } else if (s.packageProductId !== null) {
    throw fieldError('packageProductId', 'A package product needs its account package');
  }

  if (s.routerId !== null) await requireReference(db, 'routers', s.routerId, 'routerId', 'router');
  const archived = s.status === 'Archived';
  const columns = serviceColumnsOf(plan, s);
  if (columns.pool_network_id !== null) await checkPool(db, columns.pool_network_id);
  // An archived service holds no addresses, so only live ones are checked against others.
  const addressNetworkId = columns.ipv4_address && !archived ? await checkPermanentAddress(db, columns.ipv4_address, serviceId) : null;
  if (s.routedNetwork && !archived) await checkRoutedNetwork(db, s.routedNetwork, serviceId);
  return { columns, addressNetworkId, questions };
}

/** A live service's login is unique regardless of case among services and hotspot users (migration 0500 enforces it too). */
async function checkLoginFree(db: Db, login: string | null | undefined, status: string | undefined, serviceId: number | null): Promise<void> {
  if (!login || status === 'Archived') return;
  const holder = await loginHolder(db, login, { serviceId });
  if (holder) throw new ApiError('conflict', holder, { login: holder });
}

/** The unique index on services.login refused the write: answer with who holds the login. */
async function loginConflict(db: Db, error: unknown, login: string | null): Promise<never> {
  const violation = constraintViolation(error);
  if (violation?.kind === 'unique' && violation.table === 'services' && violation.columns.includes('login')) {
    const holder = await db
      .selectFrom('services as s')
      .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
      .select(['sub.unique_id'])
      .where('s.login', '=', login)
      .where('s.status', '<>', 'Archived')
      .executeTakeFirst();
    const message = `Login "${login}" is already used by ${holder ? `a service of ${holder.unique_id}` : 'another service'}`;
    throw new ApiError('conflict', message, { login: message });
  }
  throw error;
}

async function writeAnswers(db: Db, serviceId: number, questions: ProfileQuestionRule[], answers: { questionId: number; answer: string }[]) {
  const verdict = checkProfileAnswers(questions, answers);
  if (!verdict.ok) throw new ApiError('validation', Object.values(verdict.fields).join('; '), verdict.fields);
  await db.deleteFrom('service_profile_answers').where('service_id', '=', serviceId).execute();
  if (verdict.answers.length > 0) {
    await db.insertInto('service_profile_answers').values(verdict.answers.map((a) => ({ service_id: serviceId, question_id: a.questionId, answer: a.answer }))).execute();
  }
}

/**
 * Takes the write lock before reading anything: a save racing in another process then waits for
 * this one and reads what it committed, so the unique indexes (login, address) decide and the
 * loser hears which field clashed, rather than failing on a stale read as "busy".
 */
async function claimWrite(db: Db): Promise<void> {
  await db.updateTable('services').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', -1).execute();
}

async function subscriptionOf(db: Db, id: number) {
  const sub = await db.selectFrom('subscriptions').select(['id', 'status', 'unique_id']).where('id', '=', id).executeTakeFirst();
  if (!sub) throw fieldError('subscriptionId', `No subscription ${id}`);
  return { ...sub, status: sub.status as SubscriptionStatus };
}

export async function createService(db: Db, input: ServiceFields, now: Date): Promise<Service> {
  return getService(db, await insertService(db, input, now));
}

/** As createService, answering only the new service's id: an import row has no use for the rest. */
export async function insertService(db: Db, input: ServiceFields, now: Date): Promise<number> {
  await claimWrite(db);
  const sub = await subscriptionOf(db, input.subscriptionId);
  if (isClosed(sub.status)) throw fieldError('subscriptionId', `${sub.unique_id} is ${sub.status}; reopen it before adding services`);
  const plan = await db.selectFrom('plans').select(['active', 'name']).where('id', '=', input.planId).executeTakeFirst();
  if (plan && !plan.active) throw fieldError('planId', `${plan.name} is retired and no longer offered`);
  const { profileAnswers, ...state } = input;
  const checked = await checkService(db, state, null);
  await checkLoginFree(db, checked.columns.login, checked.columns.status, null);
  const stamp = now.toISOString();
  let id: number;
  try {
    ({ id } = await db
      .insertInto('services')
      .values({
        ...checked.columns,
        ...startingStatus(sub.status, checked.columns.status),
        subscription_id: input.subscriptionId,
        account_package_id: input.accountPackageId,
        package_product_id: input.packageProductId,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  } catch (error) {
    return loginConflict(db, error, checked.columns.login);
  }
  if (checked.columns.status !== 'Archived') {
    await setAllocations(db, id, { address: checked.addressNetworkId !== null ? { text: checked.columns.ipv4_address!, networkId: checked.addressNetworkId } : null, routed: checked.columns.routed_network }, now);
  }
  await writeAnswers(db, id, checked.questions, profileAnswers ?? []);
  return id;
}

function stateOf(current: Service): ServiceState {
  return {
    subscriptionId: current.subscriptionId,
    accountPackageId: current.accountPackageId,
    packageProductId: current.packageProductId,
    planId: current.planId,
    description: current.description,
    quantity: current.quantity,
    unit: current.unit,
    priceCents: current.priceOverridden ? current.priceCents : null,
    payPeriodMonths: current.payPeriodMonths,
    ratingMethod: current.ratingMethod,
    startDate: current.startDate,
    endDate: current.endDate,
    discountPercent: current.discountPercent,
    discountStart: current.discountStart,
    discountEnd: current.discountEnd,
    status: current.status,
    routerId: current.routerId,
    login: current.login,
    password: current.passwordSource === 'service' ? current.password : null,
    ipv4Assignment: current.ipv4Assignment,
    ipv4Address: current.ipv4Address,
    routedNetwork: current.routedNetwork,
    poolNetworkId: current.poolNetworkId,
    macAddresses: current.macAddresses,
    portId: current.portId,
    latitude: current.latitude,
    longitude: current.longitude,
  };
}

type ServicePatch = Partial<ServiceState> & { profileAnswers?: { questionId: number; answer: string }[] };

/**
 * Whether a patch would change what a service holds: each value given compared with the service's
 * own state (a list by its items). An import re-reading a file it wrote leaves such a service alone.
 */
export async function servicePatchChanges(db: Db, id: number, patch: ServicePatch): Promise<boolean> {
  if (patch.profileAnswers !== undefined) return true;
  const state: Record<string, unknown> = { ...stateOf(await getService(db, id)) };
  const same = (a: unknown, b: unknown) =>
    a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));
  return Object.entries(patch).some(([k, v]) => v !== undefined && !same(state[k], v));
}

/** Rewrites a service from its whole new state: rules, row, addresses and answers together. */
export async function writeService(db: Db, id: number, patch: ServicePatch, now: Date): Promise<Service> {
  await saveService(db, id, patch, now);
  return getService(db, id);
}

/** As writeService, without reading the service back: an import row has no use for it. */
export async function saveService(db: Db, id: number, patch: ServicePatch, now: Date): Promise<void> {
  await claimWrite(db);
  const current = await getService(db, id);
  const { profileAnswers, ...rest } = patch;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<ServiceState>;
  const merged: ServiceState = { ...stateOf(current), ...defined };
  const checked = await checkService(db, merged, id);
  if (checked.columns.login !== current.login || (current.status === 'Archived' && checked.columns.status !== 'Archived')) {
    await checkLoginFree(db, checked.columns.login, checked.columns.status, id);
  }
  // Staff setting a status by hand takes the service out of the automatic stop/restore.
  const statusTouched = patch.status !== undefined && patch.status !== current.status;
  try {
    await db
      .updateTable('services')
      .set({ ...checked.columns, ...(statusTouched && { stopped_by_subscription: 0 }), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
  } catch (error) {
    return loginConflict(db, error, checked.columns.login);
  }
  if (checked.columns.status === 'Archived') await releaseAllocations(db, id);
  else await setAllocations(db, id, { address: checked.addressNetworkId !== null ? { text: checked.columns.ipv4_address!, networkId: checked.addressNetworkId } : null, routed: checked.columns.routed_network }, now);
  if (profileAnswers !== undefined) await writeAnswers(db, id, checked.questions, profileAnswers);
}

export async function updateService(db: Db, id: number, patch: Partial<Editable>, now: Date): Promise<Service> {
  return writeService(db, id, patch, now);
}

export async function changePlan(db: Db, id: number, planId: number, keepPrice: boolean, now: Date): Promise<Service> {
  const current = await getService(db, id);
  const plan = await db.selectFrom('plans').select(['kind', 'name', 'active', 'pay_period_months']).where('id', '=', planId).executeTakeFirst();
  if (!plan) throw fieldError('planId', `No plan ${planId}`);
  if (!plan.active) throw fieldError('planId', `${plan.name} is retired and no longer offered`);
  if (plan.kind !== current.planKind) throw fieldError('planId', `${plan.name} is a ${plan.kind} plan; a ${current.planKind} service moves only to a ${current.planKind} plan`);
  const description = current.description === current.planName ? plan.name : current.description;
  return writeService(db, id, { planId, description, payPeriodMonths: plan.pay_period_months, ...(!keepPrice && { priceCents: null }) }, now);
}

export async function addDiscount(db: Db, id: number, d: { percent: string; start: string; end: string | null }, now: Date): Promise<Service> {
  return writeService(db, id, { discountPercent: d.percent, discountStart: d.start, discountEnd: d.end }, now);
}

export async function geolocate(db: Db, id: number, latitude: number | null, longitude: number | null, now: Date): Promise<Service> {
  if ((latitude === null) !== (longitude === null)) throw fieldError(latitude === null ? 'latitude' : 'longitude', 'Give both coordinates, or neither');
  await getService(db, id);
  await db.updateTable('services').set({ latitude, longitude, updated_at: now.toISOString() }).where('id', '=', id).execute();
  return getService(db, id);
}

/** Deletes a service, or archives it when it has history to keep (history.ts says what counts). */
export async function deleteService(db: Db, id: number, now: Date): Promise<{ outcome: 'deleted' | 'archived'; message: string }> {
  const current = await getService(db, id);
  const history = await serviceHistory(db, id);
  if (history.length > 0) {
    if (current.status !== 'Archived') {
      await db.updateTable('services').set({ status: 'Archived', stopped_by_subscription: 0, updated_at: now.toISOString() }).where('id', '=', id).execute();
      await releaseAllocations(db, id);
    }
    await db.updateTable('scheduled_changes').set({ state: 'cancelled', outcome: 'Service archived' }).where('service_id', '=', id).where('state', '=', 'pending').execute();
    return { outcome: 'archived', message: `${current.description} has history (${history.join(', ')}), so it was archived instead of deleted.` };
  }
  await db.deleteFrom('services').where('id', '=', id).execute();
  return { outcome: 'deleted', message: `${current.description} was deleted.` };
}
