import { X509Certificate } from 'node:crypto';

/** The part of `fetch` a certificate download needs; injectable so tests run without a network. */
export type FetchText = (url: URL) => Promise<{ ok: boolean; text(): Promise<string> }>;

export const fetchText: FetchText = (url) => fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });

/**
 * A certificate URL a request names, accepted only over https and only on one of `hosts` (exact
 * names, or `*.example.com` for any subdomain). Everything else is refused before any request is
 * made: fetching whatever URL a sender names would let anyone bring their own key.
 */
export function allowedCertificateUrl(text: string, hosts: readonly string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  const host = url.hostname.toLowerCase();
  const allowed = hosts.some((h) => {
    const want = h.toLowerCase();
    return want.startsWith('*.') ? host.endsWith(want.slice(1)) && host.length > want.length - 1 : host === want;
  });
  return allowed ? url : undefined;
}

export interface CertificateCache {
  /** The certificate at `url`, downloaded once; undefined when it cannot be fetched or parsed. */
  get(url: URL): Promise<X509Certificate | undefined>;
}

/**
 * Certificates kept in memory by URL. A failed download is not remembered, so the provider's retry
 * gets a fresh attempt; concurrent requests for one URL share a single download.
 */
export function createCertificateCache(fetchCert: FetchText = fetchText): CertificateCache {
  const cache = new Map<string, Promise<X509Certificate | undefined>>();
  const load = async (url: URL): Promise<X509Certificate | undefined> => {
    try {
      const res = await fetchCert(url);
      if (!res.ok) return undefined;
      return new X509Certificate(await res.text());
    } catch {
      return undefined;
    }
  };
  return {
    async get(url) {
      let pending = cache.get(url.href);
      if (!pending) {
        pending = load(url);
        cache.set(url.href, pending);
      }
      const cert = await pending;
      if (!cert) cache.delete(url.href);
      return cert;
    },
  };
}
