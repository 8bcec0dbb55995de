import { describe, expect, it } from 'vitest';
import { autoMap, columnLetter, headerNames } from './fields';

describe('column auto-mapping', () => {
  it('matches headers ignoring case, spacing and punctuation, and the usual synonyms', () => {
    const mapping = autoMap('subscriptions', ['Customer', 'E-Mail', 'PPPoE user', 'IP address', 'MAC', 'Tariff', 'Assigned to', 'Favourite colour']);
    expect(mapping).toEqual({
      Customer: 'fullName',
      'E-Mail': 'email',
      'PPPoE user': 'login',
      'IP address': 'ipv4Address',
      MAC: 'macAddresses',
      Tariff: 'plan',
      'Assigned to': 'engineer',
      'Favourite colour': null,
    });
  });

  it('maps a field once: a second look-alike column stays unmapped', () => {
    expect(autoMap('subscriptions', ['Full name', 'Customer'])).toEqual({ 'Full name': 'fullName', Customer: null });
  });

  it('reads a payment sheet from an old system', () => {
    expect(autoMap('payments', ['Account No.', 'Paid on', 'Amount paid', 'Payment method', 'Transaction ID'])).toEqual({
      'Account No.': 'uniqueId',
      'Paid on': 'receivedDate',
      'Amount paid': 'amount',
      'Payment method': 'method',
      'Transaction ID': 'reference',
    });
  });

  it('names blank headers by column letter and numbers repeated ones', () => {
    expect(headerNames(['Name', null, 'Name', ''])).toEqual(['Name', 'Column B', 'Name (2)', 'Column D']);
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(26)).toBe('AA');
  });
});
