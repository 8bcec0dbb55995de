import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '../../../shared/api/contract';
import { fieldsOf as zodFieldsOf } from '../api/dispatch';
import { compileCheck } from './checks';

/** The procedures an import checks its rows with. */
const PROCEDURES = ['organizations.create', 'contacts.create', 'contacts.update', 'subscriptions.create', 'subscriptions.update', 'services.create', 'services.update', 'devices.create', 'devices.update', 'payments.record'] as const;

/** Values an import row may carry, good and bad, for any field. */
const value = fc.oneof(
  fc.constantFrom(undefined, null, '', '  ', 'Active', 'Inactive', 'Stopped', 'Sleeping', 'Now', 'cash', 'bank_transfer', 'CPE radio', 'permanent', 'none', 'recurring'),
  fc.constantFrom('2026-03-04', '2026-02-30', '1899-12-31', '2026-3-4', '10.20.0.15', '10.20.0.256', 'AA:BB:CC:DD:EE:01', 'aa-bb-cc-dd-ee-01,02:00:00:00:00:01', 'zz:zz', 'john@example.com', 'not an email', '+1 555 0100', '10.20.0.0/24'),
  fc.constantFrom(0, 1, 2, 28, 29, -1, 1.5, 4900, 2 ** 53, Number.NaN),
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 95, maxLength: 110 }),
  fc.array(fc.constantFrom('john@example.com', '+1 555 0100', 'x', ''), { maxLength: 6 }),
  fc.constant({ questionId: 1, answer: 'Roof' }),
  fc.array(fc.record({ questionId: fc.constantFrom(1, 0), answer: fc.constantFrom('Roof', '') }), { maxLength: 2 }),
);

/** A row each procedure accepts, for changes to start from (random rows alone mostly fail). */
const GOOD: Record<(typeof PROCEDURES)[number], Record<string, unknown>> = {
  'organizations.create': { name: 'Acme Ltd' },
  'contacts.create': { firstName: 'John', lastName: 'Smith', emails: ['john@example.com'] },
  'contacts.update': { id: 1 },
  'subscriptions.create': { contactId: 1, name: 'John Smith', engineerId: 1 },
  'subscriptions.update': { id: 1 },
  'services.create': { subscriptionId: 1, planId: 1, startDate: '2026-01-01', login: 'jsmith' },
  'services.update': { id: 1 },
  'devices.create': { subscriptionId: 1, type: 'CPE radio' },
  'devices.update': { id: 1 },
  'payments.record': { subscriptionId: 1, method: 'cash', receivedDate: '2026-01-01', amountCents: 100 },
};

function rowOf(procedure: (typeof PROCEDURES)[number], schema: z.ZodType) {
  const keys = [...Object.keys((schema as z.ZodObject).shape), 'notAField'];
  return fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }),
    // A good row with a few fields changed, left out or added.
    fc.tuple(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 3 }), fc.subarray(Object.keys(GOOD[procedure]), { maxLength: 1 })).map(([changes, dropped]) => {
      const row: Record<string, unknown> = { ...GOOD[procedure], ...changes };
      for (const k of dropped) delete row[k];
      return row;
    }),
  );
}

describe('a contract schema checked column by column', () => {
  for (const procedure of PROCEDURES) {
    it(`answers exactly what zod answers for ${procedure}: the same values, or the same message at each field`, () => {
      const schema = contract[procedure].input as z.ZodType;
      const check = compileCheck(schema);
      const seen = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(rowOf(procedure, schema), (row) => {
          // Twice: the second answer comes from the memo where a value repeats.
          for (let round = 0; round < 2; round++) {
            const mine = check.check(row);
            const theirs = schema.safeParse(row);
            expect(mine.ok).toBe(theirs.success);
            seen[theirs.success ? 'accepted' : 'refused']++;
            if (mine.ok && theirs.success) {
              expect(mine.data).toEqual(theirs.data);
              expect(Object.keys(mine.data as object)).toEqual(Object.keys(theirs.data as object));
            } else if (!mine.ok && !theirs.success) {
              expect(mine.fields).toEqual(zodFieldsOf(theirs.error));
            }
          }
        }),
        { numRuns: 400 },
      );
      // Both answers were compared, many times each.
      expect(seen.accepted).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(50);
    });
  }

  it('hands each row a fresh default array, never one shared with another row', () => {
    const check = compileCheck(contract['contacts.create'].input);
    const a = check.check({ firstName: 'A', lastName: 'B' });
    const b = check.check({ firstName: 'C', lastName: 'D' });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.data.phones).toEqual([]);
      expect(a.data.phones).not.toBe(b.data.phones);
    }
  });

  it('parses a schema it cannot take apart whole, with the same messages', () => {
    const schema = z.object({ from: z.string(), to: z.string() }).refine((o) => o.from <= o.to, { message: 'From comes first', path: ['to'] });
    const check = compileCheck(schema);
    expect(check.check({ from: 'b', to: 'a' })).toEqual({ ok: false, fields: { to: 'From comes first' } });
    expect(check.check({ from: 'a', to: 'b' })).toEqual({ ok: true, data: { from: 'a', to: 'b' } });
  });
});
