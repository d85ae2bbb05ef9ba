import { describe, expect, it } from 'vitest';
import { CidrError } from '../../../src/server/cidr.js';
import { clientIpResolver, type PeerRequest } from '../../../src/server/client-ip.js';

const request = (peer: string | undefined, xff?: string | string[]): PeerRequest => ({
  req: { socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } },
});

const proxies = ['10.0.0.0/8', '192.168.1.10', 'fd00::/8'];

describe('clientIpResolver', () => {
  it.each([
    // [case, trustProxy, peer, X-Forwarded-For, expected client]
    ['no proxies trusted: the peer, header ignored', [], '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['untrusted peer spoofing the header', proxies, '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['untrusted peer spoofing a trusted-looking chain', proxies, '203.0.113.7', '10.0.0.1, 10.0.0.2', '203.0.113.7'],
    ['trusted peer, one hop', proxies, '10.1.2.3', '198.51.100.1', '198.51.100.1'],
    ['trusted peer, no header', proxies, '10.1.2.3', undefined, '10.1.2.3'],
    ['trusted peer, empty header', proxies, '10.1.2.3', '', '10.1.2.3'],
    ['single trusted address (no prefix)', proxies, '192.168.1.10', '198.51.100.1', '198.51.100.1'],
    ['neighbour of a single trusted address is not trusted', proxies, '192.168.1.11', '198.51.100.1', '192.168.1.11'],
    ['multi-hop: nearest untrusted address wins', proxies, '10.0.0.1', '198.51.100.1, 10.0.0.9, 10.0.0.8', '198.51.100.1'],
    ['multi-hop: client-written entries left of it are ignored', proxies, '10.0.0.1', '1.1.1.1, 8.8.8.8, 198.51.100.1, 10.0.0.9', '198.51.100.1'],
    ['every hop trusted: the leftmost', proxies, '10.0.0.1', '10.0.0.3, 10.0.0.2', '10.0.0.3'],
    ['garbage in the chain stops at the hop that passed it', proxies, '10.0.0.1', 'evil, 10.0.0.9', '10.0.0.9'],
    ['garbage as the only entry: the trusted peer', proxies, '10.0.0.1', 'unknown', '10.0.0.1'],
    ['entries with ports', proxies, '10.0.0.1', '198.51.100.1:5555', '198.51.100.1'],
    ['bracketed IPv6 with port', proxies, '10.0.0.1', '[2001:db8::1]:443', '2001:db8::1'],
    ['IPv6 peer, untrusted', proxies, '2001:db8::5', '198.51.100.1', '2001:db8::5'],
    ['IPv6 trusted proxy, IPv6 client', proxies, 'fd00::1', '2001:DB8::abcd', '2001:db8::abcd'],
    ['IPv6 trusted proxy chain, IPv4 client', proxies, 'fd12::1', '198.51.100.1, fd00::2', '198.51.100.1'],
    ['IPv4-mapped peer is matched against IPv4 ranges', proxies, '::ffff:10.0.0.1', '198.51.100.1', '198.51.100.1'],
    ['IPv4-mapped peer is reported as plain IPv4', [], '::ffff:203.0.113.7', undefined, '203.0.113.7'],
    ['IPv4-mapped entry in the header', proxies, '10.0.0.1', '::ffff:198.51.100.1', '198.51.100.1'],
    ['hex IPv4-mapped peer', proxies, '::ffff:a00:1', '198.51.100.1', '198.51.100.1'],
    ['mapped untrusted peer spoofing', proxies, '::ffff:203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['repeated headers are one list', proxies, '10.0.0.1', ['198.51.100.1', '10.0.0.5'], '198.51.100.1'],
    ['trust everything (0.0.0.0/0) still takes the leftmost real address', ['0.0.0.0/0'], '203.0.113.7', '198.51.100.1', '198.51.100.1'],
  ] as const)('%s', (_name, trust, peer, xff, expected) => {
    const resolve = clientIpResolver(trust);
    expect(resolve(request(peer, xff as string | string[] | undefined))).toBe(expected);
  });

  it('answers an empty string for a socket that already closed, never a header value', () => {
    expect(clientIpResolver(proxies)(request(undefined, '198.51.100.1'))).toBe('');
  });

  it.each([['10.0.0.0/33'], ['10.0.0/8'], ['not-an-ip'], ['2001:db8::/129'], ['10.0.0.0/8/8'], ['10.0.0.0/x']])(
    'refuses the trustProxy entry %s at build time, naming the key',
    (entry) => {
      expect(() => clientIpResolver([entry])).toThrow(CidrError);
      expect(() => clientIpResolver([entry])).toThrow(/server\.trustProxy/);
    },
  );
});
