import type { Attributes } from '../../electron/server/network/routeros/types';
import { type MenuSpec, normaliseValue, type UniqueRule } from './menus';

/** What a menu command answers: the `!re` rows and the `!done`'s attributes, or a `!trap`. */
export type Outcome = { ok: true; rows: Attributes[]; done?: Attributes } | { ok: false; message: string; category?: string };

export interface WriteCounts {
  add: number;
  set: number;
  remove: number;
}

const fail = (message: string, category?: string): Outcome => (category === undefined ? { ok: false, message } : { ok: false, message, category });

export const formatId = (n: number): string => `*${n.toString(16).toUpperCase()}`;

/** One menu's entries in memory, kept the way RouterOS keeps them: only what was set, defaults filled in on print. */
export class MenuStore {
  private readonly items = new Map<string, Attributes>();
  /** Per uniqueness rule, key → `.id`: a bulk add of thousands stays linear. */
  private readonly keys: Map<string, string>[];
  private nextId = 1;
  readonly writes: WriteCounts = { add: 0, set: 0, remove: 0 };

  constructor(readonly spec: MenuSpec) {
    this.keys = spec.unique.map(() => new Map());
    this.reset();
  }

  reset(): void {
    this.items.clear();
    for (const index of this.keys) index.clear();
    this.nextId = 1;
    for (const builtin of this.spec.builtins ?? []) {
      const { '.id': id, ...rest } = builtin;
      const stored: Attributes = {};
      for (const [name, value] of Object.entries(rest)) {
        const field = this.spec.fields[name];
        const normalised = field ? normaliseValue(field.kind, name, value) : undefined;
        stored[name] = normalised?.ok ? normalised.value : value;
      }
      this.put(id!, stored);
    }
  }

  /** Every entry as the router prints it: `.id` first, then properties in the menu's order. */
  list(): Attributes[] {
    return [...this.items.keys()].map((id) => this.printed(id)!);
  }

  printed(id: string): Attributes | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    const out: Attributes = { '.id': id };
    for (const [name, field] of Object.entries(this.spec.fields)) {
      const value = item[name] ?? field.default;
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  get size(): number {
    return this.items.size;
  }

  /** `*1A` or, where the menu has names, a name (RouterOS accepts both as `numbers`). */
  resolve(ref: string): string | undefined {
    if (this.items.has(ref)) return ref;
    if (/^\*[0-9A-Fa-f]+$/.test(ref)) {
      const id = formatId(parseInt(ref.slice(1), 16));
      return this.items.has(id) ? id : undefined;
    }
    if (!('name' in this.spec.fields)) return undefined;
    const byName = this.spec.unique.findIndex((rule) => rule.keys.length === 1 && rule.keys[0] === 'name');
    if (byName !== -1) return this.keys[byName]!.get(ref);
    for (const [id, item] of this.items) if (item.name === ref) return id;
    return undefined;
  }

  /**
   * Normalises the attributes as RouterOS would. `internal` writes (a test changing the router
   * behind the client's back) may also set read-only properties and use read-only menus.
   */
  private normalise(attributes: Attributes, internal: boolean): { ok: true; values: Attributes } | { ok: false; message: string } {
    const values: Attributes = {};
    for (const [name, raw] of Object.entries(attributes)) {
      const field = this.spec.fields[name];
      if (!field || (field.readOnly && !internal)) return { ok: false, message: `unknown parameter ${name}` };
      if (raw === '' && field.default === undefined) {
        values[name] = '';
        continue;
      }
      const normalised = normaliseValue(field.kind, name, raw);
      if (!normalised.ok) return normalised;
      values[name] = normalised.value;
    }
    return { ok: true, values };
  }

  private keyOf(rule: UniqueRule, item: Attributes): string {
    return rule.keys.map((k) => item[k] ?? this.spec.fields[k]?.default ?? '').join('\u0000');
  }

  private conflict(candidate: Attributes, exceptId: string | undefined): string | undefined {
    for (const [i, rule] of this.spec.unique.entries()) {
      const holder = this.keys[i]!.get(this.keyOf(rule, candidate));
      if (holder !== undefined && holder !== exceptId) return rule.message;
    }
    return undefined;
  }

  /** Stores an entry, keeping its place in print order when it already exists. */
  private put(id: string, item: Attributes): void {
    this.unindex(id);
    this.items.set(id, item);
    for (const [i, rule] of this.spec.unique.entries()) this.keys[i]!.set(this.keyOf(rule, item), id);
  }

  private drop(id: string): void {
    this.unindex(id);
    this.items.delete(id);
  }

  private unindex(id: string): void {
    const old = this.items.get(id);
    if (!old) return;
    for (const [i, rule] of this.spec.unique.entries()) {
      const key = this.keyOf(rule, old);
      if (this.keys[i]!.get(key) === id) this.keys[i]!.delete(key);
    }
  }

  add(attributes: Attributes, internal = false): Outcome {
    if (this.spec.readOnlyMenu && !internal) return fail('no such command');
    const result = this.normalise(attributes, internal);
    if (!result.ok) return fail(result.message);
    const item = Object.fromEntries(Object.entries(result.values).filter(([, v]) => v !== ''));
    for (const [name, field] of Object.entries(this.spec.fields)) {
      if (field.required && item[name] === undefined) return fail(`failure: ${name} not specified`);
    }
    const duplicate = this.conflict(item, undefined);
    if (duplicate) return fail(duplicate);
    if ('creation-time' in this.spec.fields && item['creation-time'] === undefined) item['creation-time'] = routerTime(new Date());
    let id = formatId(this.nextId++);
    while (this.items.has(id)) id = formatId(this.nextId++);
    this.put(id, item);
    return { ok: true, rows: [], done: { ret: id } };
  }

  set(refs: readonly string[], attributes: Attributes, internal = false): Outcome {
    if (this.spec.readOnlyMenu && !internal) return fail('no such command');
    const ids = this.resolveAll(refs, internal);
    if (!ids.ok) return ids.outcome;
    const result = this.normalise(attributes, internal);
    if (!result.ok) return fail(result.message);
    const updated = ids.ids.map((id) => {
      const item = { ...this.items.get(id)! };
      for (const [name, value] of Object.entries(result.values)) {
        if (value === '') delete item[name];
        else item[name] = value;
      }
      return [id, item] as const;
    });
    for (const [id, item] of updated) {
      for (const [name, field] of Object.entries(this.spec.fields)) {
        if (field.required && item[name] === undefined) return fail(`failure: ${name} not specified`);
      }
      const duplicate = this.conflict(item, id);
      if (duplicate) return fail(duplicate);
    }
    for (const [id, item] of updated) this.put(id, item);
    return { ok: true, rows: [] };
  }

  unset(refs: readonly string[], name: string): Outcome {
    if (this.spec.readOnlyMenu) return fail('no such command');
    const ids = this.resolveAll(refs, false);
    if (!ids.ok) return ids.outcome;
    const field = this.spec.fields[name];
    if (!field || field.readOnly) return fail(`unknown parameter ${name}`);
    if (field.required) return fail(`failure: ${name} cannot be unset`);
    for (const id of ids.ids) {
      const { [name]: _gone, ...rest } = this.items.get(id)!;
      this.put(id, rest);
    }
    return { ok: true, rows: [] };
  }

  remove(refs: readonly string[], internal = false): Outcome {
    const ids = this.resolveAll(refs, internal);
    if (!ids.ok) return ids.outcome;
    for (const id of ids.ids) {
      if (this.printed(id)?.default === 'true') return fail('failure: default profile can not be removed');
    }
    for (const id of ids.ids) this.drop(id);
    return { ok: true, rows: [] };
  }

  /** The ids `refs` name; entries the router made itself (dynamic) cannot be changed through the API. */
  private resolveAll(refs: readonly string[], internal: boolean): { ok: true; ids: string[] } | { ok: false; outcome: Outcome } {
    if (refs.length === 0) return { ok: false, outcome: fail('no such item') };
    const ids: string[] = [];
    for (const ref of refs) {
      const id = this.resolve(ref);
      if (id === undefined) return { ok: false, outcome: fail('no such item') };
      if (!internal && this.items.get(id)?.dynamic === 'true') return { ok: false, outcome: fail('failure: can not change dynamic') };
      ids.push(id);
    }
    return { ok: true, ids };
  }
}

function routerTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export type QueryResult = { ok: true; test: (item: Attributes) => boolean } | { ok: false; message: string };

/**
 * RouterOS API queries: `?name=value`, `?=name=value`, `?name` (has), `?-name` (lacks),
 * `?<name=value`, `?>name=value`, and `?#` operations on the result stack (`!`, `&`, `|`, `.`).
 * What is left on the stack is and-ed.
 */
export function compileQuery(queries: readonly string[]): QueryResult {
  type Step = (item: Attributes, stack: boolean[]) => void;
  const steps: Step[] = [];
  for (const raw of queries) {
    const q = raw.startsWith('?') ? raw.slice(1) : raw;
    if (q.startsWith('#')) {
      for (const op of q.slice(1)) {
        if (op === '!') steps.push((_, s) => s.push(!(s.pop() ?? false)));
        else if (op === '&' || op === '|') {
          steps.push((_, s) => {
            // Both operands are popped: a short-circuit would leave one on the stack.
            const a = s.pop() ?? false;
            const b = s.pop() ?? false;
            s.push(op === '&' ? a && b : a || b);
          });
        }
        else if (op === '.') steps.push((_, s) => s.push(s[s.length - 1] ?? false));
        else return { ok: false, message: `unsupported query operation ${op}` };
      }
      continue;
    }
    const first = q[0];
    if (first === '-') {
      const name = q.slice(1);
      steps.push((item, s) => s.push(!(name in item)));
    } else if (first === '<' || first === '>') {
      const eq = q.indexOf('=');
      if (eq === -1) return { ok: false, message: `bad query ${raw}` };
      const name = q.slice(1, eq);
      const value = q.slice(eq + 1);
      const sign = first === '<' ? -1 : 1;
      steps.push((item, s) => {
        const have = item[name];
        s.push(have !== undefined && Math.sign(compareValues(have, value)) === sign);
      });
    } else {
      const body = first === '=' ? q.slice(1) : q;
      const eq = body.indexOf('=');
      if (eq === -1) {
        steps.push((item, s) => s.push(body in item));
      } else {
        const name = body.slice(0, eq);
        const value = body.slice(eq + 1);
        steps.push((item, s) => s.push((item[name] ?? '') === value));
      }
    }
  }
  return {
    ok: true,
    test: (item) => {
      const stack: boolean[] = [];
      for (const step of steps) step(item, stack);
      return stack.every(Boolean);
    },
  };
}

function compareValues(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
