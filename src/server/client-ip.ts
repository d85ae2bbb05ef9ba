import type { IncomingHttpHeaders } from 'node:http';
import { CidrError, normalizeIp, parseCidrList, type AddressSet } from './cidr.js';

/** What the resolver reads of a request; a Koa context satisfies it. */
export interface PeerRequest {
  readonly req: { readonly socket: { readonly remoteAddress?: string | undefined }; readonly headers: IncomingHttpHeaders };
}

/**
 * Builds, once per config version, the function that names the client of a request.
 *
 * `X-Forwarded-For` is read only when the connecting peer is one of the `trustProxy` hops; otherwise
 * anyone could choose their address (and so their allowlist verdict and rate-limit bucket) by
 * sending the header. The list is walked from the right, because each proxy appends the address
 * it saw: the first entry not in `trustProxy` is the nearest hop no trusted proxy vouches beyond,
 * and everything to its left could have been written by the client itself.
 */
export function clientIpResolver(trustProxy: readonly string[]): (ctx: PeerRequest) => string {
  const peerOf = (ctx: PeerRequest) => {
    const raw = ctx.req.socket.remoteAddress ?? '';
    return normalizeIp(raw) ?? raw;
  };
  if (trustProxy.length === 0) return peerOf;
  const trusted = trustedHops(trustProxy);
  return (ctx) => {
    let current = peerOf(ctx);
    if (!trusted.has(current)) return current;
    const header = ctx.req.headers['x-forwarded-for'];
    if (!header) return current;
    const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = forwardedAddress(hops[i]!);
      // Garbage in the chain: the trusted hop that passed it on is the last address we can vouch for.
      if (hop === undefined) return current;
      current = hop;
      if (!trusted.has(current)) return current;
    }
    // Every hop is a trusted proxy (e.g. a health check from inside): the leftmost one is the client.
    return current;
  };
}

/** One `X-Forwarded-For` entry; some proxies add a port (`1.2.3.4:5678`, `[2001:db8::1]:443`). */
function forwardedAddress(entry: string): string | undefined {
  const e = entry.trim();
  if (e.startsWith('[')) {
    const end = e.indexOf(']');
    return end > 0 ? normalizeIp(e.slice(1, end)) : undefined;
  }
  const direct = normalizeIp(e);
  if (direct !== undefined) return direct;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(e);
  return withPort ? normalizeIp(withPort[1]!) : undefined;
}

function trustedHops(trustProxy: readonly string[]): AddressSet {
  try {
    return parseCidrList(trustProxy);
  } catch (err) {
    throw err instanceof CidrError ? new CidrError(err.entry, err.reason, 'server.trustProxy') : err;
  }
}
