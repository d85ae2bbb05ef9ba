import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HmacScheme, signHmac, splitSignatures } from './verify/hmac.js';
import { verifyTimestamped } from './verify/timestamped.js';

/** `whsec_<base64>` (the prefix is optional, as in the reference libraries) → the HMAC key bytes. */
export function standardKey(secret: string): Buffer | undefined {
  const text = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length > 0 ? key : undefined;
}

const config = z.strictObject({
  type: z.literal('standard'),
  secret: secrets
    .refine((list) => list.every((s) => standardKey(s) !== undefined), 'secret must be whsec_ followed by base64')
    .describe('signing secret, whsec_<base64>; a list while rotating'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(300_000)
    .describe('how far webhook-timestamp may be from our clock, either way (reference libraries: 5m)'),
  ...commonSourceFields,
});

export type StandardConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'base64', prefix: 'v1,' };

/** Svix sends the same scheme under its own brand; `webhook-*` wins when both are present. */
function brand(req: RawRequest): 'webhook' | 'svix' {
  return req.headers['webhook-id'] === undefined && req.headers['svix-id'] !== undefined ? 'svix' : 'webhook';
}

function verifyStandard(req: RawRequest, cfg: StandardConfig, now: Date): VerifyResult {
  const b = brand(req);
  const id = req.headers[`${b}-id`]?.trim();
  const header = req.headers[`${b}-signature`];
  if (!id || header === undefined) return { ok: false, reason: 'missing' };
  const entries = splitSignatures(header, ' ');
  // Only v1 (HMAC) entries concern us; v1a (Ed25519) entries may sit beside them.
  const v1 = entries.filter((e) => e.startsWith('v1,'));
  if (v1.length === 0) {
    const versioned = entries.length > 0 && entries.every((e) => /^v\w+,./.test(e));
    return { ok: false, reason: versioned ? 'mismatch' : 'malformed' };
  }
  return verifyTimestamped({
    scheme,
    keys: cfg.secret.map((s) => standardKey(s)!),
    timestamp: req.headers[`${b}-timestamp`],
    signatures: v1,
    signed: (ts) => [Buffer.from(`${id}.${ts}.`), req.body],
    now,
    toleranceMs: cfg.tolerance,
  });
}

export const standard: SourceType<StandardConfig> = {
  type: 'standard',
  area: 'any',
  summary: 'Standard Webhooks senders, Svix included (webhook-* or svix-* headers)',
  verification: 'webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">, key = base64 of whsec_..., within the tolerance',
  config,
  verify: verifyStandard,
  describe(req, payload) {
    const id = requireHeader(req, `${brand(req)}-id`);
    // The spec recommends a `type` field but senders such as Replicate post bare objects.
    return { id, type: readText(payload, 'type') ?? 'webhook' };
  },
  keepHeaders: ['webhook-id', 'webhook-timestamp', 'svix-id', 'svix-timestamp'],
  sign(payload, cfg, opts) {
    const id = opts.deliveryId ?? `msg_${randomUUID().replaceAll('-', '')}`;
    const ts = String(Math.floor(opts.now.getTime() / 1000));
    const signature = signHmac(scheme, standardKey(cfg.secret[0]!)!, [Buffer.from(`${id}.${ts}.`), payload]);
    return {
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature },
      body: payload,
    };
  },
};
