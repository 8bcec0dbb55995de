import type { ServiceStatusName } from '../../../shared/domain/serving';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import type { DesiredInput, HotspotUserRow, PlanRow } from './desired-state';

/** The rows the desired state of one router is computed from (desired-state.ts). */
export async function readDesiredInput(db: Db, routerId: number): Promise<DesiredInput> {
  const rows = await db
    .selectFrom('services as s')
    .innerJoin('subscriptions as sub', 'sub.id', 's.subscription_id')
    .select(['s.id', 's.status', 's.plan_id', 's.login', 's.password', 'sub.service_password', 's.ipv4_assignment', 's.ipv4_address', 's.routed_network', 's.mac_addresses', 'sub.status as subscription_status', 's.subscription_id'])
    .where('s.router_id', '=', routerId)
    .where('s.status', '<>', 'Archived')
    .execute();
  // Subscriptions dunning holds at the throttle stage get its rate (one setting) instead of the plan's.
  const throttleRate = (await db.selectFrom('dunning_settings').select('throttle_rate').where('id', '=', 1).executeTakeFirst())?.throttle_rate ?? null;
  const throttled = new Set(
    throttleRate
      ? (
          await db
            .selectFrom('dunning_states as d')
            .innerJoin('services as s', 's.subscription_id', 'd.subscription_id')
            .select('d.subscription_id')
            .where('d.stage', '=', 'throttle')
            .where('s.router_id', '=', routerId)
            .execute()
        ).map((r) => r.subscription_id)
      : [],
  );
  // Services over their plan's data cap with a throttle action get the cap's rate (usage caps).
  const capped = new Map(
    (
      await db
        .selectFrom('usage_cap_actions as a')
        .innerJoin('services as s', 's.id', 'a.service_id')
        .select(['a.service_id', 'a.throttle_rate'])
        .where('a.lifted_at', 'is', null)
        .where('a.action', '=', 'throttle')
        .where('s.router_id', '=', routerId)
        .execute()
    ).map((r) => [r.service_id, r.throttle_rate]),
  );
  const services = rows.map((r) => ({
    serviceId: r.id,
    serviceStatus: r.status as ServiceStatusName,
    subscriptionStatus: r.subscription_status as SubscriptionStatus,
    planId: r.plan_id,
    login: r.login,
    password: r.password ?? r.service_password,
    permanentIpv4: r.ipv4_assignment === 'permanent' ? r.ipv4_address : null,
    routedNetwork: r.routed_network,
    macs: r.mac_addresses ? r.mac_addresses.split(',') : [],
    throttleRate: throttled.has(r.subscription_id) ? throttleRate : null,
    capRate: capped.get(r.id) ?? null,
  }));
  const planIds = [...new Set(services.map((s) => s.planId))];
  const plans: PlanRow[] = planIds.length
    ? (await db.selectFrom('plans').selectAll().where('id', 'in', planIds).execute()).map((p) => ({
        planId: p.id,
        name: p.name,
        downloadKbps: p.download_kbps,
        uploadKbps: p.upload_kbps,
        burstDownloadKbps: p.burst_download_kbps,
        burstUploadKbps: p.burst_upload_kbps,
        burstThresholdPercent: p.burst_threshold_percent,
        burstTimeSeconds: p.burst_time_seconds,
        priority: p.priority,
        qosMode: p.qos_mode as PlanRow['qosMode'],
      }))
    : [];
  // Hotspot users live under a subscription: they go to the routers its services use.
  const hotspotUsers: HotspotUserRow[] = (
    await db
      .selectFrom('hotspot_users as h')
      .innerJoin('subscriptions as sub', 'sub.id', 'h.subscription_id')
      .innerJoin('hotspot_plans as hp', 'hp.id', 'h.hotspot_plan_id')
      .select(['h.id', 'h.login', 'h.password', 'h.status', 'h.mac_binding', 'sub.status as subscription_status', 'hp.time_limit_minutes', 'hp.data_limit_mb'])
      .where('h.subscription_id', 'in', (eb) => eb.selectFrom('services').select('subscription_id').where('router_id', '=', routerId).where('status', '<>', 'Archived'))
      .execute()
  ).map((h) => ({
    id: h.id,
    login: h.login,
    password: h.password,
    status: h.status as HotspotUserRow['status'],
    macBinding: h.mac_binding,
    subscriptionStatus: h.subscription_status as SubscriptionStatus,
    timeLimitMinutes: h.time_limit_minutes,
    dataLimitMb: h.data_limit_mb,
  }));
  return { services, plans, hotspotUsers };
}
