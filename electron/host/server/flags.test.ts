import { describe, expect, it } from 'vitest';
import { anyRadiusFlag, radiusListenFrom } from './flags';

describe('the RADIUS flags', () => {
  it('default to 127.0.0.1, 1812 and 1813', () => {
    expect(radiusListenFrom({})).toEqual({ host: '127.0.0.1', authPort: 1812, acctPort: 1813 });
    expect(anyRadiusFlag({})).toBe(false);
  });
  it('take a host and ports, 0 meaning any free port', () => {
    expect(radiusListenFrom({ 'radius-host': '0.0.0.0', 'radius-auth-port': '0', 'radius-acct-port': '0' })).toEqual({ host: '0.0.0.0', authPort: 0, acctPort: 0 });
    expect(anyRadiusFlag({ 'radius-acct-port': '1646' })).toBe(true);
  });
  it('refuse a port that is not one, naming the flag', () => {
    expect(() => radiusListenFrom({ 'radius-auth-port': '70000' })).toThrow(/--radius-auth-port/);
    expect(() => radiusListenFrom({ 'radius-acct-port': 'x' })).toThrow(/--radius-acct-port/);
    expect(() => radiusListenFrom({ 'radius-auth-port': '1700', 'radius-acct-port': '1700' })).toThrow(/must differ/);
  });
});
