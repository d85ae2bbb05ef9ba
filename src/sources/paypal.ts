import { randomUUID, sign as rsaSign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { commonSourceFields, duration } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { verifyRsaSha256 } from './verify/asymmetric.js';
import { allowedCertificateUrl, type CertificateCache, createCertificateCache, type FetchText } from './verify/certificate-cache.js';
import { crc32 } from './verify/crc32.js';
import { checkTimestamp } from './verify/timestamped.js';

/** Hosts PayPal serves its webhook signing certificates from (live and sandbox). */
export const paypalCertHosts = ['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com'];

const config = z.strictObject({
  type: z.literal('paypal'),
  webhookId: z.string().min(1).describe('id of the webhook in the PayPal app (it is signed but never sent)'),
  certHosts: z
    .array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/i, 'a host name, or *.domain for its subdomains'))
    .min(1)
    .default(paypalCertHosts)
    .describe("hosts paypal-cert-url may point at (https only); default: PayPal's API hosts"),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(300_000)
    .describe('how far paypal-transmission-time may be from our clock, either way (PayPal documents none: 5m)'),
  ...commonSourceFields,
});

export type PaypalConfig = z.infer<typeof config>;

// RFC 3339, as PayPal sends it (2024-05-13T10:52:30Z); signed as that exact text.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const headers = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url'] as const;

/** `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the raw body, unsigned decimal>`. */
export function paypalSignedText(id: string, time: string, webhookId: string, body: Uint8Array): Buffer {
  return Buffer.from(`${id}|${time}|${webhookId}|${crc32(body)}`, 'utf8');
}

async function verifyPaypal(req: RawRequest, cfg: PaypalConfig, now: Date, certs: CertificateCache): Promise<VerifyResult> {
  const [id, time, sig, certUrl] = headers.map((h) => req.headers[h]?.trim());
  if (!id || !time || !sig || !certUrl) return { ok: false, reason: 'missing' };
  const algo = req.headers['paypal-auth-algo']?.trim();
  if (algo !== undefined && algo !== 'SHA256withRSA') return { ok: false, reason: 'malformed' };
  const sentAt = Date.parse(time);
  if (!rfc3339.test(time) || !Number.isFinite(sentAt)) return { ok: false, reason: 'malformed' };
  // Checked before anything is fetched: a sender must not choose which key we trust.
  const url = allowedCertificateUrl(certUrl, cfg.certHosts);
  if (!url) return { ok: false, reason: 'unauthorized' };
  const cert = await certs.get(url);
  if (!cert) return { ok: false, reason: 'unauthorized' };
  if (now.getTime() < Date.parse(cert.validFrom) || now.getTime() > Date.parse(cert.validTo)) return { ok: false, reason: 'unauthorized' };
  const signed = verifyRsaSha256(cert.publicKey, sig, [paypalSignedText(id, time, cfg.webhookId, req.body)]);
  // The signed time is that of this HTTP transmission (PayPal's docs), so a window refuses replays;
  // without one a captured request would be accepted again once its dedupe entry had expired.
  return signed.ok ? checkTimestamp(sentAt, now, cfg.tolerance) : signed;
}

/** The order, capture or subscription an event is about: `resource.id`, grouped by the resource type. */
export function paypalCorrelationKey(payload: unknown): string | undefined {
  const id = readText(payload, 'resource.id');
  if (!id) return undefined;
  const kind = readText(payload, 'resource_type');
  return kind ? `${kind}:${id}` : id;
}

export interface PaypalDeps {
  /** Certificate downloads; tests pass a local one. */
  readonly fetchCert?: FetchText;
  /** A key whose certificate `fetchCert` serves at `certUrl`, so `sign()` can make requests that verify. */
  readonly signer?: { readonly key: KeyObject; readonly certUrl: string };
}

/** A PayPal source type; certificates are cached per instance, by URL. */
export function createPaypal(deps: PaypalDeps = {}): SourceType<PaypalConfig> {
  const certs = createCertificateCache(deps.fetchCert);
  return {
    type: 'paypal',
    area: 'payment',
    summary: 'PayPal REST webhooks',
    verification:
      'paypal-transmission-sig: RSA-SHA256 of "id|time|webhookId|crc32(body)" by the certificate at paypal-cert-url (allowed hosts only); paypal-transmission-time within the tolerance',
    config,
    verify: (req, cfg, now) => verifyPaypal(req, cfg, now, certs),
    describe(_req, payload) {
      const correlationKey = paypalCorrelationKey(payload);
      const created = Date.parse(readText(payload, 'create_time') ?? '');
      const version = readText(payload, 'resource_version');
      return {
        id: requireText(payload, 'id'),
        type: requireText(payload, 'event_type'),
        ...(correlationKey && { correlationKey }),
        ...(Number.isFinite(created) && { occurredAt: new Date(created) }),
        ...(version && { version }),
      };
    },
    keepHeaders: ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-auth-algo', 'paypal-cert-url'],
    sign(payload, cfg, opts) {
      // Only PayPal holds the private key behind its certificates; without a test signer nothing we send would verify.
      if (!deps.signer) throw new Error("paypal requests are signed with PayPal's own key; use the webhooks simulator in the PayPal developer dashboard");
      const id = opts.deliveryId ?? randomUUID();
      const time = opts.now.toISOString();
      const sig = rsaSign('sha256', paypalSignedText(id, time, cfg.webhookId, payload), deps.signer.key).toString('base64');
      return {
        headers: {
          'content-type': 'application/json',
          'paypal-transmission-id': id,
          'paypal-transmission-time': time,
          'paypal-transmission-sig': sig,
          'paypal-cert-url': deps.signer.certUrl,
          'paypal-auth-algo': 'SHA256withRSA',
        },
        body: payload,
      };
    },
  };
}

export const paypal = createPaypal();
