import type { z } from 'zod';
import type { searchHit } from '../../../shared/api/subscribers';
import type { SubscriptionStatus } from '../../../shared/domain/subscription-status';
import type { Db } from '../db/open';
import { type Holding, type Lookup, findByIp, findByMac, findByOrganization, findDeviceSerials, findHotspotUsers, findInvoices, findServiceLogins } from '../db/find';
import { searchSubscriptionIds } from '../db/search';
import { findTerms } from './find-terms';

type SearchHit = z.output<typeof searchHit>;
type Found = Pick<SearchHit, 'subscriptionId' | 'kind' | 'matched' | 'opens'>;

/** Order of the groups in the answer: a value typed in full first, then names, then prefixes. */
const EXACT = 0;
const NAME = 1;
const ORGANIZATION = 2;
const PREFIX = 3;

interface Ranked extends Found {
  rank: number;
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** The words staff read under a hit: what matched, and where it sits. Pure, for the tests. */
export const describeMatch = {
  ip: (h: Holding, device: boolean) => (device ? `IP ${h.value} · device ${h.owner ?? ''} (management)` : `IP ${h.value} · service ${h.owner ?? ''}`),
  /** For hotspot users `h.value` is the login or code bound to the MAC. */
  mac: (mac: string, h: Holding, where: 'service' | 'device' | 'hotspot') =>
    where === 'hotspot' ? `MAC ${mac} · ${h.detail === 'voucher' ? 'voucher' : 'hotspot login'} ${h.value}` : `MAC ${mac} · ${where} ${h.owner ?? ''}`,
  login: (h: Holding) => `Login ${h.value} · service ${h.owner ?? ''}`,
  hotspot: (h: Holding) => (h.detail === 'voucher' ? `Voucher ${h.value}${h.owner ? ` · batch ${h.owner}` : ''}` : `Hotspot login ${h.value}`),
  serial: (h: Holding) => `Serial ${h.value} · ${h.detail ?? 'device'} ${h.owner ?? ''}`.trim(),
  invoice: (h: Holding) => `Invoice ${h.value} · ${h.owner === 'closed' ? 'issued' : 'draft'}`,
  organization: (h: Holding) => `Organization ${h.value}`,
};

/**
 * Ctrl+K: subscriptions by name, unique ID, contact, phone, email or organization, and by what
 * they hold (login, voucher, IP, MAC, serial, invoice number). Only the lookups the query's shape
 * allows run, each on an index.
 */
export async function quickSearch(db: Db, query: string, limit: number): Promise<SearchHit[]> {
  const text = query.trim();
  if (!text) return [];
  const terms = findTerms(text);
  const found: Ranked[] = [];
  const rankOf = (value: string) => (same(value, text) ? EXACT : PREFIX);

  if (terms.ip) {
    for (const h of await findByIp(db, terms.ip, limit)) {
      const device = h.detail !== null;
      found.push({ subscriptionId: h.subscriptionId, kind: 'ip', matched: describeMatch.ip(h, device), opens: device ? 'devices' : 'services', rank: 'exact' in terms.ip ? EXACT : PREFIX });
    }
  }
  if (terms.mac) {
    const { services, devices, hotspot } = await findByMac(db, terms.mac, limit);
    for (const h of services) found.push({ subscriptionId: h.subscriptionId, kind: 'mac', matched: describeMatch.mac(terms.mac, h, 'service'), opens: 'services', rank: EXACT });
    for (const h of devices) found.push({ subscriptionId: h.subscriptionId, kind: 'mac', matched: describeMatch.mac(terms.mac, h, 'device'), opens: 'devices', rank: EXACT });
    for (const h of hotspot) found.push({ subscriptionId: h.subscriptionId, kind: 'mac', matched: describeMatch.mac(terms.mac, h, 'hotspot'), opens: 'hotspot', rank: EXACT });
  }
  if (terms.invoice) {
    const lookups: Lookup[] = [{ exact: terms.invoice.exact }];
    if (terms.invoice.prefix) lookups.push({ prefix: terms.invoice.prefix });
    for (const l of lookups) {
      for (const h of await findInvoices(db, l, limit)) found.push({ subscriptionId: h.subscriptionId, kind: 'invoice', matched: describeMatch.invoice(h), opens: 'billing', rank: 'exact' in l ? EXACT : PREFIX });
    }
  }
  if (terms.identifier) {
    const prefix = { prefix: terms.identifier };
    for (const h of await findServiceLogins(db, prefix, limit)) found.push({ subscriptionId: h.subscriptionId, kind: 'login', matched: describeMatch.login(h), opens: 'services', rank: rankOf(h.value) });
    for (const h of await findHotspotUsers(db, prefix, limit)) {
      found.push({ subscriptionId: h.subscriptionId, kind: h.detail === 'voucher' ? 'voucher' : 'hotspotLogin', matched: describeMatch.hotspot(h), opens: 'hotspot', rank: rankOf(h.value) });
    }
    for (const h of await findDeviceSerials(db, prefix, limit)) found.push({ subscriptionId: h.subscriptionId, kind: 'serial', matched: describeMatch.serial(h), opens: 'devices', rank: rankOf(h.value) });
  }
  for (const id of await searchSubscriptionIds(db, text, limit)) found.push({ subscriptionId: id, kind: 'subscription', matched: null, opens: 'summary', rank: NAME });
  for (const h of await findByOrganization(db, text, limit)) found.push({ subscriptionId: h.subscriptionId, kind: 'organization', matched: describeMatch.organization(h), opens: 'summary', rank: ORGANIZATION });

  // Stable sort keeps each lookup's own order within a group; one hit per subscription and match.
  found.sort((a, b) => a.rank - b.rank);
  const seen = new Set<string>();
  const named = new Set<number>();
  const picked: Found[] = [];
  for (const f of found) {
    const key = `${f.subscriptionId}|${f.matched ?? ''}`;
    if (seen.has(key)) continue;
    // A subscription already found by its name needs no second line saying its organization too.
    if (f.kind === 'organization' && named.has(f.subscriptionId)) continue;
    seen.add(key);
    if (f.kind === 'subscription') named.add(f.subscriptionId);
    picked.push({ subscriptionId: f.subscriptionId, kind: f.kind, matched: f.matched, opens: f.opens });
    if (picked.length === limit) break;
  }
  if (picked.length === 0) return [];

  const ids = [...new Set(picked.map((p) => p.subscriptionId))];
  const rows = await db
    .selectFrom('subscriptions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['s.id', 's.unique_id', 's.name', 's.status', 'c.first_name', 'c.last_name', 'c.phones', 'c.emails'])
    .where('s.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return picked.flatMap((p) => {
    const r = byId.get(p.subscriptionId);
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
        kind: p.kind,
        matched: p.matched,
        opens: p.opens,
      },
    ];
  });
}
