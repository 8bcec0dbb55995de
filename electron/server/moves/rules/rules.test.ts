import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../billing/rules/dates';
import { homeFor, incompatibility } from './compatibility';
import { earlyFee, moveContractOutcome, termEnd } from './contract';

const wireless = { name: 'Wireless 25', kind: 'Internet', accessTechnology: 'wireless' };
const fiber = { name: 'Fiber 100', kind: 'Internet', accessTechnology: 'fiber' };
const dial = { name: 'Dial-up', kind: 'Internet', accessTechnology: 'dial-up' };
const hosting = { name: 'Web hosting', kind: 'Hosting', accessTechnology: null };
const d = (s: string) => s as IsoDate;

describe('compatible services', () => {
  it('take broadband to broadband, refuse dial-up and another kind, naming the field', () => {
    expect(incompatibility(wireless, fiber)).toBeNull();
    expect(incompatibility(wireless, dial)).toMatchObject({ field: 'accessTechnology' });
    expect(incompatibility(dial, wireless)).toMatchObject({ field: 'accessTechnology' });
    expect(incompatibility(wireless, hosting)).toMatchObject({ field: 'kind' });
  });

  it('home a service in a product of the same name first, then the same plan, then the first free one', () => {
    const c = (name: string, plan = fiber) => ({ product: name, name, ratingMethod: 'recurring', plan });
    const candidates = [c('Other'), c('Internet'), c('Dial', dial)];
    expect(homeFor({ productName: 'Internet', planName: 'Wireless 25', ratingMethod: 'recurring', plan: wireless }, candidates, new Set())).toMatchObject({ product: 'Internet' });
    expect(homeFor({ productName: 'X', planName: 'Wireless 25', ratingMethod: 'recurring', plan: wireless }, candidates, new Set(['Other']))).toMatchObject({ product: 'Internet' });
    expect(homeFor({ productName: 'X', planName: 'Wireless 25', ratingMethod: 'recurring', plan: wireless }, [c('Dial', dial)], new Set())).toHaveProperty('refused');
  });
});

describe('contracts', () => {
  const c = { contractId: 1, name: '12 months', startDate: d('2026-01-31'), termMonths: 12, feeCents: 9900 };
  it('bind until the same day of the month a term later, then charge nothing', () => {
    expect(termEnd(c)).toBe('2027-01-31');
    expect(earlyFee(c, d('2027-01-30'))).toBe(9900);
    expect(earlyFee(c, d('2027-01-31'))).toBe(0);
    expect(earlyFee(null, d('2026-06-01'))).toBe(0);
  });

  it('follow the rule on a move: only "always destination" drops the current contract with its fee', () => {
    const target = { ...c, contractId: 2, name: '24 months', termMonths: 24, startDate: d('2026-06-01') };
    expect(moveContractOutcome('destination-then-source', c, target, d('2026-06-01'))).toMatchObject({ outcome: 'target', earlyFeeCents: 0 });
    expect(moveContractOutcome('destination-then-source', c, null, d('2026-06-01'))).toMatchObject({ outcome: 'source', earlyFeeCents: 0 });
    expect(moveContractOutcome('destination', c, null, d('2026-06-01'))).toMatchObject({ outcome: 'none', earlyFeeCents: 9900 });
    expect(moveContractOutcome('destination', c, target, d('2027-02-01'))).toMatchObject({ outcome: 'target', earlyFeeCents: 0 });
    expect(moveContractOutcome('source', c, target, d('2026-06-01'))).toMatchObject({ outcome: 'source', earlyFeeCents: 0 });
  });
});
