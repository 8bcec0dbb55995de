import type { Attributes } from './routeros/types';
import { FIELDS, MENUS, type DesiredObject, type Menu, keyOf, markedServiceId } from './desired-state';
import { normalizeValue } from './routeros-values';

/**
 * The least change that makes a router hold its desired state, and the drift found on the way.
 * Pure: the router's printed menus, the desired objects, and what Towerline last wrote (`known`)
 * in; operations, drift and counts out. Objects without a Towerline marker are not looked at.
 */

export type Operation =
  | { action: 'add'; menu: Menu; key: string; serviceId: number | null; attributes: Record<string, string> }
  | { action: 'set'; menu: Menu; key: string; serviceId: number | null; id: string; attributes: Record<string, string>; changed: string[] }
  | { action: 'remove'; menu: Menu; key: string; serviceId: number | null; id: string };

export interface Drift {
  menu: Menu;
  key: string;
  serviceId: number | null;
  kind: 'edited' | 'deleted' | 'duplicate';
  detail: string;
}

export interface SyncPlan {
  operations: Operation[];
  drift: Drift[];
  unchanged: number;
  /** The normalised attributes Towerline will have written, per `menu|key`, for the known-objects record. */
  known: Map<string, Record<string, string>>;
  /** Logins whose active PPP session must be dropped (serving changed: they reconnect into the right profile). */
  dropSessions: string[];
}

export type RouterMenus = Record<Menu, readonly Attributes[]>;

/** The managed attributes of an object, normalised for comparison. */
export function normalized(menu: Menu, attributes: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, kind] of Object.entries(FIELDS[menu])) out[field] = normalizeValue(kind, attributes[field]);
  return out;
}

function differing(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

export const knownKey = (menu: Menu, key: string) => `${menu}|${key}`;

export function planSync(desired: readonly DesiredObject[], router: RouterMenus, known: ReadonlyMap<string, Record<string, string>>): SyncPlan {
  const operations: Operation[] = [];
  const removals: Operation[] = [];
  const drift: Drift[] = [];
  const nextKnown = new Map<string, Record<string, string>>();
  const dropSessions = new Set<string>();
  let unchanged = 0;

  const wanted = new Map<string, DesiredObject>();
  for (const d of desired) wanted.set(knownKey(d.menu, d.key), d);

  for (const menu of MENUS) {
    const owned = new Map<string, Attributes>();
    for (const object of router[menu] ?? []) {
      const key = keyOf(menu, object);
      if (key === null) continue;
      // RouterOS's own dynamic entries (e.g. from a PPP profile's address-list) are not Towerline's to keep.
      if (object.dynamic === 'true') continue;
      const serviceId = markedServiceId(object.comment ?? '');
      if (owned.has(key)) {
        drift.push({ menu, key, serviceId, kind: 'duplicate', detail: `A second ${menu} entry carries ${key}` });
        removals.push({ action: 'remove', menu, key, serviceId, id: object['.id'] ?? '' });
        continue;
      }
      owned.set(key, object);
    }

    for (const [key, object] of owned) {
      const k = knownKey(menu, key);
      const current = normalized(menu, object);
      const last = known.get(k);
      const serviceId = markedServiceId(object.comment ?? '');
      if (last) {
        const edited = differing(last, current);
        if (edited.length) drift.push({ menu, key, serviceId, kind: 'edited', detail: edited.map((f) => `${f}: ${last[f] || '(empty)'} → ${current[f] || '(empty)'}`).join('; ') });
      }
      const want = wanted.get(k);
      if (!want) {
        removals.push({ action: 'remove', menu, key, serviceId, id: object['.id'] ?? '' });
        if (menu === '/ppp/secret' && object.name) dropSessions.add(object.name);
        continue;
      }
      const target = normalized(menu, want.attributes);
      const changed = differing(target, current);
      nextKnown.set(k, target);
      if (changed.length === 0) {
        unchanged++;
        continue;
      }
      const attributes: Record<string, string> = {};
      for (const f of changed) attributes[f] = want.attributes[f] ?? '';
      operations.push({ action: 'set', menu, key, serviceId: want.serviceId, id: object['.id'] ?? '', attributes, changed });
      if (menu === '/ppp/secret' && (changed.includes('profile') || changed.includes('remote-address') || changed.includes('disabled'))) dropSessions.add(current.name || (want.attributes.name ?? ''));
    }

    for (const d of desired) {
      if (d.menu !== menu || owned.has(d.key)) continue;
      const k = knownKey(menu, d.key);
      if (known.has(k)) drift.push({ menu, key: d.key, serviceId: d.serviceId, kind: 'deleted', detail: `Removed from the router` });
      nextKnown.set(k, normalized(menu, d.attributes));
      // Leave out empty values on add: RouterOS treats a missing attribute as its default.
      const attributes = Object.fromEntries(Object.entries(d.attributes).filter(([, v]) => v !== ''));
      operations.push({ action: 'add', menu, key: d.key, serviceId: d.serviceId, attributes });
      // A secret that is (re)created may still have a session from before: make it reconnect with the new one.
      if (menu === '/ppp/secret' && known.has(k) && d.attributes.name) dropSessions.add(d.attributes.name);
    }
  }
  // Remove in reverse menu order: secrets before the profiles they use.
  removals.sort((a, b) => MENUS.indexOf(b.menu) - MENUS.indexOf(a.menu));
  return { operations: [...operations, ...removals], drift, unchanged, known: nextKnown, dropSessions: [...dropSessions] };
}
