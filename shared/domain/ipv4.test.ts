import { describe, expect, it } from 'vitest';
import { addressProblem, formatIpv4, overlaps, parseCidr, parseIpv4, usableAddresses } from './ipv4';

const cidr = (t: string) => {
  const v = parseCidr(t);
  if (!v.ok) throw new Error(v.message);
  return v.cidr;
};

describe('IPv4 addresses', () => {
  it('parses dotted quads and formats them back', () => {
    expect(parseIpv4('10.0.0.1')).toBe(167772161);
    expect(formatIpv4(167772161)).toBe('10.0.0.1');
    expect(formatIpv4(parseIpv4('255.255.255.255')!)).toBe('255.255.255.255');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1 ', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeNull();
  });

  it('parses a network and refuses one with host bits set, naming the network meant', () => {
    expect(cidr('10.20.0.0/24')).toMatchObject({ text: '10.20.0.0/24', first: parseIpv4('10.20.0.0'), last: parseIpv4('10.20.0.255') });
    const v = parseCidr('10.20.0.5/24');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.message).toContain('10.20.0.0/24');
    expect(parseCidr('10.20.0.0/33').ok).toBe(false);
  });

  it('finds overlapping ranges', () => {
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.0.128/25'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/25'), cidr('10.0.0.128/25'))).toBe(false);
  });

  it('counts usable addresses without network, broadcast, gateway and excluded ranges', () => {
    const net = cidr('10.20.0.0/24');
    const gw = parseIpv4('10.20.0.1');
    expect(usableAddresses(net, gw, [])).toEqual({ size: 256, usable: 253 });
    // 10.20.0.1-10 includes the gateway: it is not counted twice.
    expect(usableAddresses(net, gw, [{ first: parseIpv4('10.20.0.1')!, last: parseIpv4('10.20.0.10')! }])).toEqual({ size: 256, usable: 244 });
    expect(usableAddresses(cidr('10.0.0.4/31'), null, [])).toEqual({ size: 2, usable: 2 });
  });

  it('says why an address cannot be handed out', () => {
    const net = cidr('10.20.0.0/24');
    const gw = parseIpv4('10.20.0.1');
    const ex = [{ first: parseIpv4('10.20.0.200')!, last: parseIpv4('10.20.0.210')! }];
    expect(addressProblem(net, gw, ex, parseIpv4('10.20.0.0')!)).toBe('network');
    expect(addressProblem(net, gw, ex, parseIpv4('10.20.0.255')!)).toBe('broadcast');
    expect(addressProblem(net, gw, ex, parseIpv4('10.20.0.1')!)).toBe('gateway');
    expect(addressProblem(net, gw, ex, parseIpv4('10.20.0.205')!)).toBe('excluded');
    expect(addressProblem(net, gw, ex, parseIpv4('10.20.0.50')!)).toBeNull();
  });
});
