import { BlockList, isIP } from 'node:net';

/** An entry of `trustProxy` or `allow` that is neither an address nor a CIDR block. */
export class CidrError extends Error {
  override readonly name = 'CidrError';
  constructor(
    readonly entry: string,
    readonly reason: string,
    where = '',
  ) {
    super(`invalid address or CIDR block "${entry}"${where ? ` in ${where}` : ''}: ${reason}`);
  }
}

/** A fixed set of addresses and subnets, built once per config version; `has` is the hot-path check. */
export interface AddressSet {
  readonly size: number;
  has(ip: string): boolean;
}

const mappedDotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * The address in its canonical family: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack
 * socket reports for an IPv4 peer) becomes plain IPv4, so limits and logs see one key per client.
 * A zone id (`fe80::1%eth0`) is dropped. Returns undefined for anything that is not an address.
 */
export function normalizeIp(raw: string): string | undefined {
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  const dotted = mappedDotted.exec(ip);
  if (dotted && isIP(dotted[1]!) === 4) return dotted[1]!;
  const hex = mappedHex.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return ip.toLowerCase();
  return undefined;
}

const familyName = (family: number) => (family === 4 ? 'ipv4' : 'ipv6');

/** Parses `10.0.0.0/8`, `2001:db8::/32`, or a single address; throws CidrError naming the bad entry. */
export function parseCidrList(entries: readonly string[]): AddressSet {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr = '', prefix, extra] = entry.trim().split('/');
    if (extra !== undefined) throw new CidrError(entry, 'more than one "/"');
    const ip = normalizeIp(addr);
    if (ip === undefined || addr.includes('%')) throw new CidrError(entry, 'not an IPv4 or IPv6 address');
    const family = isIP(ip);
    const max = family === 4 ? 32 : 128;
    if (prefix === undefined) {
      list.addAddress(ip, familyName(family));
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= max)) throw new CidrError(entry, `prefix length must be 0-${max}`);
    list.addSubnet(ip, bits, familyName(family));
  }
  return {
    size: entries.length,
    has(raw) {
      const ip = normalizeIp(raw);
      return ip !== undefined && list.check(ip, familyName(isIP(ip)));
    },
  };
}
