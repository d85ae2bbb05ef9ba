import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseBraintreeXml, type XmlValue } from './braintree-xml.js';
import { commonSourceFields, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import { MalformedRequestError, type RawRequest, type SourceType, type VerifyResult } from './types.js';
import { type HmacScheme, signHmac, verifyHmac } from './verify/hmac.js';

const publicKeys = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const config = z
  .strictObject({
    type: z.literal('braintree'),
    publicKey: publicKeys.describe('API public key of the gateway; a list while rotating, in the order of privateKey'),
    privateKey: secrets.describe('API private key paired with publicKey; a list while rotating'),
    ...commonSourceFields,
  })
  .refine((c) => c.publicKey.length === c.privateKey.length, { path: ['privateKey'], message: 'give one privateKey per publicKey' });

export type BraintreeConfig = z.infer<typeof config>;

// The HMAC key is the SHA-1 digest of the private key, not the key itself (braintree_node digest.js).
const scheme: HmacScheme = { algorithm: 'sha1', encoding: 'hex' };
const hmacKey = (privateKey: string): Buffer => createHash('sha1').update(privateKey, 'utf8').digest();

function form(req: RawRequest): { signature?: string; payload?: string } {
  const params = new URLSearchParams(req.body.toString('utf8'));
  return { signature: params.get('bt_signature') ?? undefined, payload: params.get('bt_payload') ?? undefined };
}

/**
 * `bt_signature` is `<publicKey>|<hex>` pairs joined by `&`; the hex for our public key is the
 * HMAC of `bt_payload`, which form decoding may have lost its trailing newline from, so both forms
 * are tried (as Braintree's own SDK does).
 */
function verifyBraintree(req: RawRequest, cfg: BraintreeConfig): VerifyResult {
  const { signature, payload } = form(req);
  if (!signature || !payload) return { ok: false, reason: 'missing' };
  if (!/^[A-Za-z0-9+=/\n]+$/.test(payload)) return { ok: false, reason: 'malformed' };
  const pairs = signature.split('&').filter((p) => p.includes('|')).map((p) => p.split('|', 2) as [string, string]);
  if (pairs.length === 0) return { ok: false, reason: 'malformed' };
  const bodies = [[Buffer.from(payload)], [Buffer.from(`${payload}\n`)]];
  let result: VerifyResult = { ok: false, reason: 'mismatch' };
  cfg.publicKey.forEach((publicKey, i) => {
    const hexes = pairs.filter(([pk]) => pk === publicKey).map(([, hex]) => hex);
    if (hexes.length === 0) return;
    for (const parts of bodies) {
      const r = verifyHmac(scheme, [hmacKey(cfg.privateKey[i]!)], parts, hexes);
      if (r.ok || (!result.ok && result.reason === 'mismatch' && r.reason === 'malformed')) result = r;
    }
  });
  return result;
}

/** The notification as an object: `{ kind, timestamp, subject: { <type>: {...} } }`. */
function parseNotification(req: RawRequest): unknown {
  const { payload } = form(req);
  if (!payload) throw new MalformedRequestError('form body has no bt_payload field');
  const xml = parseBraintreeXml(Buffer.from(payload, 'base64').toString('utf8'));
  if (xml.name !== 'notification') throw new MalformedRequestError('bt_payload is not a <notification>');
  return xml.value;
}

/** The subject's type (`subscription`, `transaction`, `dispute`, ...) and id, when it has one. */
export function braintreeSubject(payload: unknown): { kind: string; id?: string } | undefined {
  const subject = (payload as { subject?: XmlValue } | null)?.subject;
  if (!subject || typeof subject !== 'object' || Array.isArray(subject)) return undefined;
  const kind = Object.keys(subject)[0];
  if (!kind) return undefined;
  const id = readText(subject, `${kind}.id`);
  return id ? { kind, id } : { kind };
}

export const braintree: SourceType<BraintreeConfig> = {
  type: 'braintree',
  area: 'payment',
  summary: 'Braintree webhooks (form-encoded bt_signature / bt_payload)',
  verification: 'bt_signature: <publicKey>|<hex HMAC-SHA1 of bt_payload, key = SHA-1 of the private key>',
  config,
  contentTypes: ['application/x-www-form-urlencoded'],
  verify: verifyBraintree,
  parse: parseNotification,
  describe(_req, payload) {
    const kind = requireText(payload, 'kind');
    const timestamp = requireText(payload, 'timestamp');
    const subject = braintreeSubject(payload);
    const at = Date.parse(timestamp);
    // Braintree sends no notification id; kind, time and subject together identify one.
    return {
      id: [kind, timestamp, subject?.id].filter(Boolean).join(':'),
      type: kind,
      ...(subject?.id && { correlationKey: `${subject.kind}:${subject.id}` }),
      ...(Number.isFinite(at) && { occurredAt: new Date(at) }),
    };
  },
  sign(payload, cfg) {
    // Braintree's gateway base64-encodes in 60-character lines, each ending in a newline.
    const b64 = payload.toString('base64').replace(/.{1,60}/g, '$&\n');
    const hex = signHmac(scheme, hmacKey(cfg.privateKey[0]!), [Buffer.from(b64)]);
    const body = new URLSearchParams({ bt_signature: `${cfg.publicKey[0]!}|${hex}`, bt_payload: b64 }).toString();
    return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(body) };
  },
};
