import { describe, expect, it } from 'vitest';
import { servingOf } from './serving';

describe('servingOf', () => {
  it('serves an Active service of an Active subscription', () => {
    expect(servingOf('Active', 'Active')).toBe('serve');
  });
  it('suspends every live service of a Suspended subscription', () => {
    expect(servingOf('Active', 'Suspended')).toBe('suspend');
    expect(servingOf('Stopped', 'Suspended')).toBe('suspend');
  });
  it('blocks Stopped and Disabled services and Inactive subscriptions', () => {
    expect(servingOf('Stopped', 'Active')).toBe('block');
    expect(servingOf('Disabled', 'Active')).toBe('block');
    expect(servingOf('Active', 'Inactive')).toBe('block');
  });
  it('puts nothing on the network for Archived or Pending services or closed subscriptions', () => {
    expect(servingOf('Archived', 'Active')).toBe('none');
    expect(servingOf('Pending', 'Active')).toBe('none');
    expect(servingOf('Active', 'Cancelled')).toBe('none');
    expect(servingOf('Active', 'Completed')).toBe('none');
  });
});
