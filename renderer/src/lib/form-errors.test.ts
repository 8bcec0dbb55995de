import { describe, expect, it } from 'vitest';
import { subscribersApi } from '../../../shared/api/subscribers';
import { describeUnplaced, isInputOf, validateWith } from './form-errors';

describe('checking a form against the contract before sending it', () => {
  it('accepts exactly what the procedure accepts', () => {
    expect(isInputOf('staff.create', { name: 'Priya Raman', role: 'Engineer' })).toBe(true);
    expect(isInputOf('staff.create', { name: '   ' })).toBe(false);
    expect(isInputOf('staff.create', { name: 'Priya Raman', role: 'Captain' })).toBe(false);
  });

  it('puts errors on the fields the form shows and words the rest as the back end does', () => {
    const schema = subscribersApi['staff.create'].input;
    const input = { name: '', role: 'Captain' };
    expect(Object.keys(validateWith(schema, input, ['name']))).toEqual(['name']);
    expect(validateWith(schema, { name: 'Priya', role: 'Captain' }, ['name'])).toEqual({});
    expect(describeUnplaced(schema, { name: 'Priya', role: 'Captain' })).toMatch(/^Please check this field: role: /);
    expect(describeUnplaced(schema, { name: 'Priya', role: 'Engineer' })).toBe('');
  });
});
