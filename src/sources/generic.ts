import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireHeader, requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { signHmac, verifyBodyHmac, readSignatures } from './verify/hmac.js';
import { templateParts, verifyTimestamped } from './verify/timestamped.js';
import { verifyBearer, verifyTokenHeader } from './verify/token.js';

const headerName = z.string().min(1).transform((h) => h.toLowerCase());
const locator = z.union([z.strictObject({ header: headerName }), z.strictObject({ path: z.string().min(1) })]);

const signature = z.strictObject({
  header: headerName.describe('header holding the signature'),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  prefix: z.string().min(1).optional().describe('text before the digest, e.g. "sha256="'),
  timestamp: z
    .strictObject({
      header: headerName.describe('header holding the signed Unix timestamp'),
      unit: z.enum(['s', 'ms']).default('s'),
      tolerance: duration.refine((ms) => ms > 0, 'tolerance must be positive').default(300_000),
      format: z
        .string()
        .refine((f) => f.includes('{ts}') && f.includes('{body}'), 'format must contain {ts} and {body}, e.g. "{ts}.{body}"')
        .default('{ts}.{body}')
        .describe('signed bytes: {ts} and {body} with the separator around them'),
    })
    .optional(),
});

const config = z
  .strictObject({
    type: z.literal('generic'),
    secret: secrets.optional().describe('HMAC key for signature; a list while rotating'),
    signature: signature.optional(),
    token: secrets.optional().describe('shared token; Authorization: Bearer unless tokenHeader is set'),
    tokenHeader: headerName.optional().describe('header carrying the token as-is'),
    id: locator.optional().describe('{ header } or { path } of the delivery id; else the body hash'),
    event: locator.optional().describe('{ header } or { path } of the event type; else "webhook"'),
    correlation: z.strictObject({ path: z.string().min(1) }).optional(),
    ...commonSourceFields,
  })
  .superRefine((c, ctx) => {
    if (c.secret && !c.signature) ctx.addIssue({ code: 'custom', path: ['signature'], message: 'secret needs signature: { header, ... }' });
    if (c.signature && !c.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'signature needs a secret' });
    if (c.tokenHeader && !c.token) ctx.addIssue({ code: 'custom', path: ['token'], message: 'tokenHeader needs a token' });
    if (!c.secret && !c.signature && !c.token) {
      ctx.addIssue({ code: 'custom', message: 'generic sources must be authenticated: set secret + signature, or token' });
    }
  });

export type GenericConfig = z.infer<typeof config>;
type Signature = NonNullable<GenericConfig['signature']>;

function verifySignature(req: RawRequest, sig: Signature, keys: readonly string[], now: Date): VerifyResult {
  const ts = sig.timestamp;
  if (!ts) return verifyBodyHmac(req, sig, keys);
  return verifyTimestamped({
    scheme: sig,
    keys,
    timestamp: req.headers[ts.header],
    signatures: readSignatures(req, sig),
    signed: (t) => templateParts(ts.format, { ts: t }, req.body),
    now,
    toleranceMs: ts.tolerance,
    unit: ts.unit,
  });
}

/** Every configured check must pass: a source with both a signature and a token needs both. */
function verifyGeneric(req: RawRequest, cfg: GenericConfig, now: Date): VerifyResult {
  if (cfg.signature) {
    const result = verifySignature(req, cfg.signature, cfg.secret ?? [], now);
    if (!result.ok) return result;
  }
  if (cfg.token) return cfg.tokenHeader ? verifyTokenHeader(req, cfg.tokenHeader, cfg.token) : verifyBearer(req, cfg.token);
  return cfg.signature ? { ok: true } : { ok: false, reason: 'unauthorized' };
}

function locate(req: RawRequest, payload: unknown, where: GenericConfig['id']): string | undefined {
  if (!where) return undefined;
  return 'header' in where ? requireHeader(req, where.header) : requireText(payload, where.path);
}

export const generic: SourceType<GenericConfig> = {
  type: 'generic',
  area: 'any',
  summary: 'any sender: configurable HMAC signature (optionally timestamped) or shared token',
  verification: 'configured: HMAC of the body (or of a timestamp template) in a header, and/or a bearer or header token',
  config,
  verify: verifyGeneric,
  describe(req, payload, cfg) {
    const id = locate(req, payload, cfg.id) ?? bodyHash(req.body);
    const type = locate(req, payload, cfg.event) ?? 'webhook';
    const correlationKey = cfg.correlation ? readText(payload, cfg.correlation.path) : undefined;
    return correlationKey ? { id, type, correlationKey } : { id, type };
  },
  sign(payload, cfg, opts) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const sig = cfg.signature;
    if (sig) {
      const ts = String(sig.timestamp?.unit === 'ms' ? opts.now.getTime() : Math.floor(opts.now.getTime() / 1000));
      const parts = sig.timestamp ? templateParts(sig.timestamp.format, { ts }, payload) : [payload];
      headers[sig.header] = signHmac(sig, cfg.secret![0]!, parts);
      if (sig.timestamp) headers[sig.timestamp.header] = ts;
    }
    if (cfg.token) headers[cfg.tokenHeader ?? 'authorization'] = cfg.tokenHeader ? cfg.token[0]! : `Bearer ${cfg.token[0]!}`;
    if (cfg.id && 'header' in cfg.id) headers[cfg.id.header] = opts.deliveryId ?? randomUUID();
    if (cfg.event && 'header' in cfg.event && opts.event) headers[cfg.event.header] = opts.event;
    return { headers, body: payload };
  },
};
