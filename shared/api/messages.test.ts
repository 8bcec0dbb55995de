import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from './contract';

const messagesOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('messages people read', () => {
  it('says Required for a missing payment amount instead of zod wording', () => {
    const messages = messagesOf(contract['payments.record'].input, { subscriptionId: 1, method: 'cash', receivedDate: '2026-12-01' });
    expect(messages).toContain('amountCents: Required');
    expect(messages.join(' ')).not.toMatch(/Invalid input|expected|received/);
  });

  it('names the kind of value a field wants when the type is wrong', () => {
    expect(messagesOf(z.object({ n: z.number() }), { n: 'ten' })).toEqual(['n: Must be a number']);
    expect(messagesOf(z.object({ b: z.boolean() }), { b: 3 })).toEqual(['b: Must be yes or no']);
  });

  it('lists the allowed choices of a short enumeration', () => {
    expect(messagesOf(z.object({ m: z.enum(['cash', 'card']) }), { m: 'gold' })).toEqual(['m: Choose one of: cash, card']);
  });

  it('keeps the messages a schema names itself', () => {
    expect(messagesOf(z.object({ n: z.number({ error: 'Enter the amount received' }) }), {})).toEqual(['n: Enter the amount received']);
  });
});
