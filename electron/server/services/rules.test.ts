import { describe, expect, it } from 'vitest';
import { checkProfileAnswers, dateProblems, effectivePrice, passwordThatApplies, serviceStatusOnSubscriptionChange } from './rules';
import { describeChange, isDue } from './scheduled-rules';
import { VOUCHER_ALPHABET, voucherCodes } from './vouchers';

describe('service rules', () => {
  const questions = [
    { id: 1, label: 'Tower', kind: 'choice' as const, choices: ['North', 'South'], required: true },
    { id: 2, label: 'Height', kind: 'number' as const, choices: [], required: false },
    { id: 3, label: 'Note', kind: 'text' as const, choices: [], required: false },
  ];

  it('checks profile answers: required, number, choice, unknown question; drops blank optional ones', () => {
    expect(checkProfileAnswers(questions, [{ questionId: 1, answer: ' North ' }, { questionId: 3, answer: '' }])).toEqual({ ok: true, answers: [{ questionId: 1, answer: 'North' }] });
    expect(checkProfileAnswers(questions, [])).toEqual({ ok: false, fields: { 'profileAnswers.1': 'Tower is required' } });
    expect(checkProfileAnswers(questions, [{ questionId: 1, answer: 'West' }, { questionId: 2, answer: '3m' }, { questionId: 9, answer: 'x' }])).toEqual({
      ok: false,
      fields: { 'profileAnswers.1': 'Tower must be one of: North, South', 'profileAnswers.2': 'Height must be a number', 'profileAnswers.9': 'Not a question of this service\'s package' },
    });
  });

  it('applies the plan price unless the service has its own', () => {
    expect(effectivePrice(null, 4500)).toEqual({ priceCents: 4500, overridden: false });
    expect(effectivePrice(0, 4500)).toEqual({ priceCents: 0, overridden: true });
  });

  it('falls back to the subscription password', () => {
    expect(passwordThatApplies(null, 'sub')).toEqual({ password: 'sub', source: 'subscription' });
    expect(passwordThatApplies('own', 'sub')).toEqual({ password: 'own', source: 'service' });
    expect(passwordThatApplies(null, null)).toEqual({ password: null, source: null });
  });

  it('refuses dates that run backwards and a discount without a start', () => {
    expect(dateProblems({ startDate: '2026-11-01', endDate: '2026-10-31', discountPercent: '10', discountStart: null, discountEnd: null })).toEqual({
      endDate: 'The end date comes before the start date',
      discountStart: 'A discount needs a start date',
    });
    expect(dateProblems({ startDate: '2026-11-01', endDate: '2026-11-01', discountPercent: '10', discountStart: '2026-11-01', discountEnd: '2026-11-01' })).toEqual({});
  });

  it('stops Active services when the subscription goes Inactive and restores only those', () => {
    const active = { status: 'Active' as const, stoppedBySubscription: false };
    const auto = { status: 'Stopped' as const, stoppedBySubscription: true };
    const byHand = { status: 'Stopped' as const, stoppedBySubscription: false };
    expect(serviceStatusOnSubscriptionChange(active, 'Active', 'Inactive')).toEqual(auto);
    expect(serviceStatusOnSubscriptionChange(auto, 'Inactive', 'Active')).toEqual({ status: 'Active', stoppedBySubscription: false });
    expect(serviceStatusOnSubscriptionChange(byHand, 'Inactive', 'Active')).toBeNull();
    expect(serviceStatusOnSubscriptionChange({ status: 'Disabled', stoppedBySubscription: false }, 'Active', 'Inactive')).toBeNull();
    // Through Suspended the mark stays, so the later reactivation still restores it.
    expect(serviceStatusOnSubscriptionChange(auto, 'Inactive', 'Suspended')).toBeNull();
    expect(serviceStatusOnSubscriptionChange(auto, 'Suspended', 'Active')).toEqual({ status: 'Active', stoppedBySubscription: false });
  });
});

describe('scheduled change rules', () => {
  it('are due on their date and every day after', () => {
    expect(isDue('2026-12-01', '2026-11-30')).toBe(false);
    expect(isDue('2026-12-01', '2026-12-01')).toBe(true);
    expect(isDue('2026-12-01', '2027-01-05')).toBe(true);
  });

  it('read as one line', () => {
    const base = { planName: null, priceCents: null, status: null, discountPercent: null, discountStart: null, discountEnd: null };
    expect(describeChange({ ...base, kind: 'price', priceCents: 3905 })).toBe('Price → 39.05');
    expect(describeChange({ ...base, kind: 'price' })).toBe('Price → the plan\'s price');
    expect(describeChange({ ...base, kind: 'discount', discountPercent: '10', discountStart: '2027-01-01', discountEnd: '2027-03-31' })).toBe('Discount 10% from 2027-01-01 to 2027-03-31');
  });
});

describe('voucher codes', () => {
  it('are distinct, avoid taken codes and use only unambiguous characters', () => {
    let i = 0;
    const seq = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2];
    const codes = voucherCodes(2, 'RV', (c) => c === 'RVBBBBBBBB', () => seq[i++ % seq.length]!);
    expect(codes).toEqual(['RVAAAAAAAA', 'RVCCCCCCCC']);
    const many = voucherCodes(200, '', () => false);
    expect(new Set(many).size).toBe(200);
    expect(many.every((c) => [...c].every((ch) => VOUCHER_ALPHABET.includes(ch)))).toBe(true);
    expect(VOUCHER_ALPHABET).not.toMatch(/[01OIL]/);
  });
});
