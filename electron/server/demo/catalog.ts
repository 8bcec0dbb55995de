/**
 * The demo ISP's catalog and what its subscribers have: tax classes, plans, packages with products,
 * contracts and profile questions, routers, IPv4 networks, one Internet service for most
 * subscriptions (logins, passwords, addresses and MACs consistent with each other), devices, and
 * hotspot plans, users and voucher batches for campgrounds, RV parks and marinas.
 * Deterministic for a seed and day, and batched so 100,000 subscribers take seconds.
 */
import type { Insertable } from 'kysely';
import { formatIpv4, parseIpv4 } from '../../../shared/domain/ipv4';
import type { Db } from '../db/open';
import type { DevicesTable, HotspotUsersTable, ScheduledChangesTable, ServicesTable } from '../services/tables';
import { VOUCHER_ALPHABET } from '../services/vouchers';
import type { Random } from './random';
import { voucherState } from '../../../shared/domain/hotspot';

/** The demo's hotspot plans (RV parks, campgrounds and marinas). */
const HOTSPOT_PLANS = [
  { name: '1 hour', time_limit_minutes: 60, data_limit_mb: 500, download_kbps: 5_000, upload_kbps: 1_000, validity_days: 1, price_cents: 300 },
  { name: 'Day pass', time_limit_minutes: 1440, data_limit_mb: 2048, download_kbps: 10_000, upload_kbps: 2_000, validity_days: 1, price_cents: 800 },
  { name: 'Week pass', time_limit_minutes: null, data_limit_mb: 10_240, download_kbps: 10_000, upload_kbps: 2_000, validity_days: 7, price_cents: 2500 },
  { name: 'Season pass', time_limit_minutes: null, data_limit_mb: null, download_kbps: 25_000, upload_kbps: 5_000, validity_days: 120, price_cents: 15_000 },
];

async function insertChunked<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

async function insertReturningIds<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<{ id: number }[]>): Promise<number[]> {
  const ids: number[] = [];
  await insertChunked(rows, size, async (chunk) => ids.push(...(await write(chunk)).map((r) => r.id)));
  return ids;
}

const day = (iso: string) => iso.slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface PlanSpec {
  key: string;
  kind: 'Internet' | 'Voice' | 'Hosting' | 'Custom';
  name: string;
  priceCents: number;
  payPeriodMonths?: number;
  down?: number;
  up?: number;
  tech?: string;
  qos?: string;
  contention?: number;
  priority?: number;
  burst?: boolean;
  active?: boolean;
  tax: 'telecom' | 'standard';
}

const PLANS: PlanSpec[] = [
  { key: 'w25', kind: 'Internet', name: 'Wireless 25/5', priceCents: 4500, down: 25_000, up: 5_000, tech: 'wireless', qos: 'Simple queue', contention: 20, priority: 6, burst: true, tax: 'telecom' },
  { key: 'w50', kind: 'Internet', name: 'Wireless 50/10', priceCents: 6000, down: 50_000, up: 10_000, tech: 'wireless', qos: 'Simple queue', contention: 10, priority: 5, burst: true, tax: 'telecom' },
  { key: 'w100', kind: 'Internet', name: 'Wireless 100/20', priceCents: 8000, down: 100_000, up: 20_000, tech: 'wireless', qos: 'PCQ', contention: 5, priority: 4, tax: 'telecom' },
  { key: 'w50q', kind: 'Internet', name: 'Wireless 50/10 (quarterly)', priceCents: 17_100, payPeriodMonths: 3, down: 50_000, up: 10_000, tech: 'wireless', qos: 'Simple queue', contention: 10, priority: 5, tax: 'telecom' },
  { key: 'w50y', kind: 'Internet', name: 'Wireless 50/10 (yearly)', priceCents: 66_000, payPeriodMonths: 12, down: 50_000, up: 10_000, tech: 'wireless', qos: 'Simple queue', contention: 10, priority: 5, tax: 'telecom' },
  { key: 'f300', kind: 'Internet', name: 'Fiber 300/300', priceCents: 9000, down: 300_000, up: 300_000, tech: 'fiber', qos: 'RADIUS rate limit', contention: 4, priority: 3, tax: 'telecom' },
  { key: 'f1000', kind: 'Internet', name: 'Fiber 1000/1000', priceCents: 12_000, down: 1_000_000, up: 1_000_000, tech: 'fiber', qos: 'RADIUS rate limit', contention: 2, priority: 2, tax: 'telecom' },
  { key: 'dsl', kind: 'Internet', name: 'DSL 12/1', priceCents: 3500, down: 12_000, up: 1_000, tech: 'DSL', qos: 'Simple queue', contention: 30, priority: 7, active: false, tax: 'telecom' },
  { key: 'voip', kind: 'Voice', name: 'VoIP line', priceCents: 2000, tax: 'telecom' },
  { key: 'hosting', kind: 'Hosting', name: 'Web hosting', priceCents: 900, tax: 'standard' },
  { key: 'static', kind: 'Custom', name: 'Static IP address', priceCents: 500, tax: 'standard' },
  // A fee bills as a Custom plan: the package product says it is charged once.
  { key: 'install', kind: 'Custom', name: 'Installation', priceCents: 9900, tax: 'standard' },
];

const ROUTERS = [
  { name: 'Ridge Road tower', address: '10.255.0.1', fiber: false },
  { name: 'Sandpoint water tower', address: '10.255.0.2', fiber: false },
  { name: 'Lakeview ridge', address: '10.255.0.3', fiber: false },
  { name: 'Fiber core (Sandpoint CO)', address: '10.255.0.10', fiber: true },
];

const CPE = [
  ['Ubiquiti', 'LiteBeam 5AC Gen2', '8.7.11', 'FC:EC:DA'],
  ['MikroTik', 'SXTsq 5 ac', '7.14.3', '48:8F:5A'],
  ['Cambium', 'ePMP Force 300-25', '4.7.1', '00:04:56'],
] as const;
const ONT = [['Nokia', 'G-010G-P', '3FE49362', '00:1E:80'], ['Calix', 'GigaPoint 803G', '12.1.0', 'CC:BE:59']] as const;
const HOME_ROUTERS = [['TP-Link', 'Archer AX55', '1.2.0', '50:91:E3'], ['MikroTik', 'hAP ax2', '7.14.3', '48:A9:8A']] as const;

function mac(prefix: string, n: number): string {
  const hex = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');
  return `${prefix}:${hex((n >> 16) & 255)}:${hex((n >> 8) & 255)}:${hex(n & 255)}`;
}

function password(rng: Random): string {
  let p = '';
  for (let i = 0; i < 10; i++) p += VOUCHER_ALPHABET[rng.int(0, VOUCHER_ALPHABET.length - 1)]!.toLowerCase();
  return p;
}

export interface CatalogSeed {
  plans: number;
  services: number;
  devices: number;
  hotspotUsers: number;
}

export async function seedCatalog(db: Db, rng: Random, today: Date): Promise<CatalogSeed> {
  const stamp = today.toISOString();
  const todayDate = day(stamp);

  // --- What is sold ---------------------------------------------------------------------------
  const tax = {
    telecom: (await db.insertInto('tax_classes').values({ name: 'Telecom (state + USF)', rate_percent: '7.25', created_at: stamp }).returning('id').executeTakeFirstOrThrow()).id,
    standard: (await db.insertInto('tax_classes').values({ name: 'Idaho sales tax', rate_percent: '6', created_at: stamp }).returning('id').executeTakeFirstOrThrow()).id,
  };
  await db.insertInto('tax_classes').values({ name: 'Exempt', rate_percent: '0', created_at: stamp }).execute();
  const plan: Record<string, { id: number; spec: PlanSpec }> = {};
  for (const p of PLANS) {
    const { id } = await db
      .insertInto('plans')
      .values({
        kind: p.kind,
        name: p.name,
        description: null,
        price_cents: p.priceCents,
        pay_period_months: p.payPeriodMonths ?? 1,
        tax_class_id: tax[p.tax],
        active: p.active === false ? 0 : 1,
        download_kbps: p.down ?? null,
        upload_kbps: p.up ?? null,
        burst_download_kbps: p.burst ? p.down! * 2 : null,
        burst_upload_kbps: p.burst ? p.up! * 2 : null,
        burst_threshold_percent: p.burst ? 75 : null,
        burst_time_seconds: p.burst ? 16 : null,
        priority: p.priority ?? null,
        contention_ratio: p.contention ?? null,
        qos_mode: p.qos ?? null,
        access_technology: p.tech ?? null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    plan[p.key] = { id, spec: p };
  }

  const towers = ROUTERS.filter((r) => !r.fiber).map((r) => r.name);
  const packages: { id: number; internet: string; productId: number; contractId: number; questions: number[] }[] = [];
  for (const [name, internet, extras, fee] of [
    ['Bronze', 'w25', [] as string[], 15_000],
    ['Silver', 'w50', ['voip'], 20_000],
    ['Gold', 'w100', ['voip', 'static'], 25_000],
  ] as const) {
    const { id } = await db
      .insertInto('packages')
      .values({ name, description: `${plan[internet]!.spec.name} home wireless${extras.length ? ' with extras' : ''}`, created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow();
    const products = [
      { package_id: id, plan_id: plan[internet]!.id, name: plan[internet]!.spec.name, rating_method: 'recurring', price_cents: plan[internet]!.spec.priceCents, min_quantity: 1, position: 0 },
      // Provisioning adds the products with a minimum quantity: the Internet plan and the fee.
      { package_id: id, plan_id: plan.install!.id, name: 'Installation', rating_method: 'one-time', price_cents: 9900, min_quantity: 1, position: 1 },
      ...extras.map((k, i) => ({ package_id: id, plan_id: plan[k]!.id, name: plan[k]!.spec.name, rating_method: 'recurring', price_cents: plan[k]!.spec.priceCents, min_quantity: null, position: 2 + i })),
    ];
    const productIds = (await db.insertInto('package_products').values(products).returning('id').execute()).map((r) => r.id);
    const { id: contractId } = await db.insertInto('contracts').values({ package_id: id, name: '12-month agreement', term_months: 12, cancellation_fee_cents: fee }).returning('id').executeTakeFirstOrThrow();
    const questions = (
      await db
        .insertInto('profile_questions')
        .values([
          { package_id: id, label: 'Tower', kind: 'choice', choices: JSON.stringify(towers), required: 1, position: 0 },
          { package_id: id, label: 'Antenna height (ft)', kind: 'number', choices: '[]', required: 0, position: 1 },
          { package_id: id, label: 'Mounting notes', kind: 'text', choices: '[]', required: 0, position: 2 },
        ])
        .returning('id')
        .execute()
    ).map((r) => r.id);
    packages.push({ id, internet, productId: productIds[0]!, contractId, questions });
  }

  // --- Network ---------------------------------------------------------------------------------
  const routerIds: number[] = [];
  for (const r of ROUTERS) {
    const { id } = await db
      .insertInto('routers')
      .values({ name: r.name, address: r.address, vendor: 'MikroTik RouterOS', api_port: 8728, api_user: 'towerline', notes: r.fiber ? 'GPON OLT uplink; RADIUS only' : null, created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow();
    routerIds.push(id);
  }

  const subs = await db
    .selectFrom('subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.unique_id', 's.status', 's.created_at', 'c.last_name', 'c.latitude', 'c.longitude', 'o.kind as org_kind'])
    .orderBy('s.id')
    .execute();

  // Decide each subscription's Internet service and router first, so the networks can be sized to fit.
  const internetPlans = [['w25', 30], ['w50', 30], ['w100', 14], ['w50q', 4], ['w50y', 4], ['f300', 9], ['f1000', 5], ['dsl', 4]] as const;
  const wirelessRouters = ROUTERS.filter((r) => !r.fiber).length;
  const fiberRouter = ROUTERS.findIndex((r) => r.fiber);
  const plans = subs.map(() => (rng.chance(0.93) ? rng.weighted(internetPlans) : null));
  const routerOf = plans.map((k) => (k !== null && plan[k]!.spec.tech === 'fiber' ? fiberRouter : rng.int(0, wirelessRouters - 1)));
  const assignments = plans.map((k, i) =>
    k === null || subs[i]!.status === 'Cancelled' || subs[i]!.status === 'Completed' ? ('none' as const) : rng.weighted([['permanent', 15], ['dynamic', 72], ['none', 13]] as const),
  );

  // Permanent /24s per router (gateway .1, .2–.9 kept for tower equipment), enough for its permanent addresses; one CGNAT pool per router.
  const perNetwork = 254 - 1 - 8;
  const networks: { id: number; base: number; next: number }[][] = ROUTERS.map(() => []);
  let block = 0;
  for (let r = 0; r < ROUTERS.length; r++) {
    const wanted = assignments.filter((a, i) => a === 'permanent' && routerOf[i] === r).length;
    for (let k = 0; k < Math.max(1, Math.ceil(wanted / perNetwork)); k++) {
      const base = parseIpv4('10.20.0.0')! + block++ * 256;
      const { id } = await db
        .insertInto('ip_networks')
        .values({ cidr: `${formatIpv4(base)}/24`, first_int: base, last_int: base + 255, kind: 'permanent', router_id: routerIds[r]!, gateway: formatIpv4(base + 1), description: `${ROUTERS[r]!.name} customers`, created_at: stamp, updated_at: stamp })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('ip_network_exclusions').values({ network_id: id, first_address: formatIpv4(base + 2), last_address: formatIpv4(base + 9), first_int: base + 2, last_int: base + 9, reason: 'Tower equipment' }).execute();
      networks[r]!.push({ id, base, next: base + 10 });
    }
  }
  const poolIds: number[] = [];
  for (let i = 0; i < routerIds.length; i++) {
    const base = parseIpv4('100.64.0.0')! + i * 4 * 4096;
    const { id } = await db
      .insertInto('ip_networks')
      .values({ cidr: `${formatIpv4(base)}/18`, first_int: base, last_int: base + 16_383, kind: 'pool', router_id: routerIds[i]!, gateway: null, description: `${ROUTERS[i]!.name} CGNAT pool`, created_at: stamp, updated_at: stamp })
      .returning('id')
      .executeTakeFirstOrThrow();
    poolIds.push(id);
  }

  // --- Services --------------------------------------------------------------------------------
  const services: Insertable<ServicesTable>[] = [];
  const serviceSub: number[] = [];
  const permanentOf: ({ address: number; networkId: number } | null)[] = [];
  const internetIndex: number[] = [];
  const accountPackageRows: { subscription_id: number; package_id: number; contract_id: number | null; start_date: string; end_date: string | null; created_at: string }[] = [];
  const packageOfService = new Map<number, (typeof packages)[number]>();
  subs.forEach((s, i) => {
    const key = plans[i] ?? null;
    const start = day(s.created_at);
    const closed = s.status === 'Cancelled' || s.status === 'Completed';
    const end = closed ? addDays(todayDate, -rng.int(1, 60)) : null;
    const status = closed ? 'Archived' : s.status === 'Inactive' ? 'Stopped' : 'Active';
    const stopped = s.status === 'Inactive' ? 1 : 0;
    if (key !== null) {
      const spec = plan[key]!.spec;
      const fiber = spec.tech === 'fiber';
      const routerIndex = routerOf[i]!;
      const assignment = assignments[i]!;
      let permanent: { address: number; networkId: number } | null = null;
      if (assignment === 'permanent') {
        // The router's first network with room; they were sized so there always is one.
        const n = networks[routerIndex]!.find((x) => x.next <= x.base + 254)!;
        permanent = { address: n.next, networkId: n.id };
        n.next += 1;
      }
      const number = Number(s.unique_id.replace(/\D/g, ''));
      const login = `${s.last_name.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'user'}${number}`;
      const macs = [mac(fiber ? ONT[number % ONT.length]![3] : CPE[number % CPE.length]![3], number)];
      const discount = status === 'Active' && rng.chance(0.05);
      const inPackage = !fiber && (key === 'w25' || key === 'w50' || key === 'w100') && rng.chance(0.3);
      if (inPackage) {
        const pkg = packages.find((p) => p.internet === key)!;
        packageOfService.set(services.length, pkg);
        accountPackageRows.push({ subscription_id: s.id, package_id: pkg.id, contract_id: rng.chance(0.6) ? pkg.contractId : null, start_date: start, end_date: end, created_at: s.created_at });
      }
      internetIndex.push(services.length);
      permanentOf.push(permanent);
      serviceSub.push(s.id);
      services.push({
        subscription_id: s.id,
        plan_id: plan[key]!.id,
        description: spec.name,
        quantity: '1',
        rating_method: 'recurring',
        price_cents: rng.chance(0.08) ? spec.priceCents - 500 : null,
        pay_period_months: spec.payPeriodMonths ?? 1,
        start_date: start,
        end_date: end,
        discount_percent: discount ? '10' : null,
        discount_start: discount ? addDays(todayDate, -rng.int(0, 60)) : null,
        discount_end: discount ? addDays(todayDate, rng.int(30, 180)) : null,
        status,
        stopped_by_subscription: stopped,
        router_id: routerIds[routerIndex]!,
        login,
        password: password(rng),
        ipv4_assignment: assignment,
        ipv4_address: permanent ? formatIpv4(permanent.address) : null,
        routed_network: null,
        pool_network_id: assignment === 'dynamic' && rng.chance(0.3) ? poolIds[routerIndex]! : null,
        mac_addresses: macs.join(','),
        port_id: fiber ? `pon-1/1/${(number % 16) + 1}` : null,
        latitude: s.latitude,
        longitude: s.longitude,
        created_at: s.created_at,
        updated_at: stamp,
      });
    }
    if (status !== 'Archived' && rng.chance(0.1)) {
      permanentOf.push(null);
      serviceSub.push(s.id);
      services.push({
        subscription_id: s.id,
        plan_id: plan.voip!.id,
        description: 'VoIP line',
        quantity: '1',
        unit: 'line',
        rating_method: 'recurring',
        pay_period_months: 1,
        start_date: start,
        status,
        stopped_by_subscription: stopped,
        ipv4_assignment: 'none',
        created_at: s.created_at,
        updated_at: stamp,
      });
    }
  });

  const accountPackageIds = await insertReturningIds(accountPackageRows, 500, (chunk) => db.insertInto('account_packages').values(chunk).returning('id').execute());
  let apCursor = 0;
  for (const [index, pkg] of [...packageOfService.entries()].sort((a, b) => a[0] - b[0])) {
    services[index]!.account_package_id = accountPackageIds[apCursor++]!;
    services[index]!.package_product_id = pkg.productId;
  }
  const serviceIds = await insertReturningIds(services, 500, (chunk) => db.insertInto('services').values(chunk).returning('id').execute());

  const allocations = services.flatMap((_, i) => {
    const p = permanentOf[i];
    return p ? [{ service_id: serviceIds[i]!, network_id: p.networkId, kind: 'address', address: formatIpv4(p.address), first_int: p.address, last_int: p.address, created_at: stamp }] : [];
  });
  await insertChunked(allocations, 1000, (chunk) => db.insertInto('ip_allocations').values(chunk).execute());

  const towerNames = towers;
  const answers = [...packageOfService.entries()].flatMap(([index, pkg]) => [
    { service_id: serviceIds[index]!, question_id: pkg.questions[0]!, answer: towerNames[index % towerNames.length]! },
    { service_id: serviceIds[index]!, question_id: pkg.questions[1]!, answer: String(12 + (index % 30)) },
  ]);
  await insertChunked(answers, 1000, (chunk) => db.insertInto('service_profile_answers').values(chunk).execute());

  // A few upgrades booked for next month, pending on the Services tab.
  const scheduled: Insertable<ScheduledChangesTable>[] = [];
  for (const index of internetIndex) {
    const s = services[index]!;
    if (s.status === 'Active' && s.plan_id === plan.w25!.id && rng.chance(0.04)) {
      scheduled.push({ service_id: serviceIds[index]!, effective_date: addDays(todayDate, rng.int(3, 40)), kind: 'plan', new_plan_id: plan.w50!.id, state: 'pending', created_at: stamp, created_by_name: 'Carol Haines' });
    }
  }
  await insertChunked(scheduled, 1000, (chunk) => db.insertInto('scheduled_changes').values(chunk).execute());

  // --- Devices ---------------------------------------------------------------------------------
  const devices: Insertable<DevicesTable>[] = [];
  for (const index of internetIndex) {
    const s = services[index]!;
    if (!rng.chance(0.75)) continue;
    const number = Number(String(s.login).replace(/\D/g, ''));
    const fiber = String(s.port_id ?? '').startsWith('pon');
    const [vendor, model, firmware] = fiber ? ONT[number % ONT.length]! : CPE[number % CPE.length]!;
    const status = s.status === 'Archived' ? 'Returned' : rng.chance(0.02) ? 'Faulty' : 'Active';
    devices.push({
      subscription_id: s.subscription_id,
      service_id: serviceIds[index]!,
      type: fiber ? 'ONT' : 'CPE radio',
      vendor,
      model,
      serial: `${vendor.slice(0, 3).toUpperCase()}${String(number).padStart(7, '0')}`,
      mac_address: String(s.mac_addresses).split(',')[0]!,
      management_ip: fiber ? null : formatIpv4(parseIpv4('10.100.0.0')! + number),
      firmware,
      install_date: s.start_date,
      location: fiber ? 'Garage wall' : rng.pick(['Roof, south gable', 'Chimney mount', 'Pole in the yard', 'Barn roof']),
      status,
      notes: null,
      created_at: s.created_at ?? stamp,
      updated_at: stamp,
    });
    if (rng.chance(0.3)) {
      const [rv, rm, rf, rp] = HOME_ROUTERS[number % HOME_ROUTERS.length]!;
      devices.push({ subscription_id: s.subscription_id, service_id: serviceIds[index]!, type: 'Router', vendor: rv, model: rm, serial: `${rv.slice(0, 3).toUpperCase()}R${String(number).padStart(6, '0')}`, mac_address: mac(rp, number), management_ip: null, firmware: rf, install_date: s.start_date, location: 'Living room', status, notes: null, created_at: s.created_at ?? stamp, updated_at: stamp });
    }
  }
  await insertChunked(devices, 500, (chunk) => db.insertInto('devices').values(chunk).execute());

  // --- Hotspot ---------------------------------------------------------------------------------
  const hotspotPlanIds: number[] = [];
  for (const h of HOTSPOT_PLANS) {
    hotspotPlanIds.push((await db.insertInto('hotspot_plans').values({ ...h, created_at: stamp, updated_at: stamp }).returning('id').executeTakeFirstOrThrow()).id);
  }
  const hosts = subs.filter((s) => (s.org_kind === 'Campground' || s.org_kind === 'RV park' || s.org_kind === 'Marina') && s.status === 'Active').slice(0, 40);
  const users: Insertable<HotspotUsersTable>[] = [];
  const usedCodes = new Set<string>();
  let batch = 0;
  for (const s of hosts) {
    batch += 1;
    const batchId = `VB-${String(batch).padStart(6, '0')}`;
    const planIndex = rng.int(0, 2);
    for (let v = 0; v < rng.int(10, 20); v++) {
      let code = '';
      do {
        code = '';
        for (let c = 0; c < 8; c++) code += VOUCHER_ALPHABET[rng.int(0, VOUCHER_ALPHABET.length - 1)];
      } while (usedCodes.has(code));
      usedCodes.add(code);
      const used = rng.chance(0.4);
      // Half the used ones were first used within the last hours, the rest days ago; the status
      // is what the one status rule says (no accounting in the demo: only validity can end).
      const recent = used && rng.chance(0.5);
      const ago = used ? rng.int(1, 20) : 0;
      const firstUsedAt = !used ? null : recent ? new Date(today.getTime() - ago * 3_600_000).toISOString() : addDays(todayDate, -ago) + 'T15:00:00.000Z';
      const plan = HOTSPOT_PLANS[planIndex]!;
      const state = voucherState({ status: 'Active', voidedAt: null, firstUsedAt, validityDays: plan.validity_days, timeLimitMinutes: plan.time_limit_minutes, dataLimitMb: plan.data_limit_mb, usedSeconds: 0, usedBytes: 0 }, today);
      users.push({ subscription_id: s.id, hotspot_plan_id: hotspotPlanIds[planIndex]!, kind: 'voucher', login: code, batch_id: batchId, status: state.status === 'Expired' ? 'Expired' : 'Active', first_used_at: firstUsedAt, created_at: stamp, updated_at: stamp });
    }
    for (let u = 1; u <= rng.int(2, 5); u++) {
      users.push({ subscription_id: s.id, hotspot_plan_id: hotspotPlanIds[3]!, kind: 'login', login: `site${u}-${s.unique_id.toLowerCase()}`, password: password(rng), mac_binding: rng.chance(0.5) ? mac('A4:83:E7', s.id * 10 + u) : null, status: 'Active', created_at: stamp, updated_at: stamp });
    }
  }
  await insertChunked(users, 500, (chunk) => db.insertInto('hotspot_users').values(chunk).execute());
  if (batch > 0) {
    await db.insertInto('sequences').values({ name: 'voucher_batch', next_value: batch + 1 }).onConflict((oc) => oc.column('name').doUpdateSet({ next_value: batch + 1 })).execute();
  }

  return { plans: PLANS.length, services: services.length, devices: devices.length, hotspotUsers: users.length };
}
