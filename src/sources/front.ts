import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import type { RawRequest, SourceType, VerifyResult } from './types.js';
import { type HmacScheme, readSignatures, signHmac, verifyHmac } from './verify/hmac.js';
import { verifyTimestamped } from './verify/timestamped.js';

const config = z.strictObject({
  type: z.literal('front'),
  mode: z
    .enum(['rule', 'app'])
    .default('rule')
    .describe('rule: a rule\'s "Send to a webhook" action (API secret, SHA-1); app: an app webhook or connector (signing key, SHA-256 over "ts:body")'),
  secret: secrets.describe('rule: the company API secret (Settings › Developers › API secret); app: the app signing key; a list while rotating'),
  tolerance: duration
    .refine((ms) => ms > 0, 'tolerance must be positive')
    .default(300_000)
    .describe('app mode: how far X-Front-Request-Timestamp may be from our clock, either way (Front recommends 5m)'),
  ...commonSourceFields,
});

export type FrontConfig = z.infer<typeof config>;

const ruleScheme: HmacScheme = { algorithm: 'sha1', encoding: 'base64' };
const appScheme: HmacScheme = { algorithm: 'sha256', encoding: 'base64' };
const signatureHeader = 'x-front-signature';
const timestampHeader = 'x-front-request-timestamp';

function verifyFront(req: RawRequest, cfg: FrontConfig, now: Date): VerifyResult {
  const signatures = readSignatures(req, { ...ruleScheme, header: signatureHeader });
  if (cfg.mode === 'rule') return verifyHmac(ruleScheme, cfg.secret, [req.body], signatures);
  return verifyTimestamped({
    scheme: appScheme,
    keys: cfg.secret,
    timestamp: req.headers[timestampHeader],
    signatures,
    signed: (ts) => [Buffer.from(`${ts}:`), req.body],
    now,
    toleranceMs: cfg.tolerance,
    // Front's timestamp is in milliseconds.
    unit: 'ms',
  });
}

/** App webhooks wrap the event as `payload`; rule webhooks send the event itself. */
function eventOf(payload: unknown): unknown {
  return readText(payload, 'payload.type') ? (payload as { payload: unknown }).payload : payload;
}

export const front: SourceType<FrontConfig> = {
  type: 'front',
  area: 'support',
  summary: 'Front rule webhooks and app webhooks (inbound, outbound, assign, comment, tag, archive, ...)',
  verification:
    'X-Front-Signature: rule mode <base64 HMAC-SHA1 of the body>; app mode <base64 HMAC-SHA256 of "ts:body"> with X-Front-Request-Timestamp (ms) within the tolerance',
  config,
  verify: verifyFront,
  describe(req, payload) {
    const event = eventOf(payload);
    const conversation = readText(event, 'conversation.id');
    const emitted = Number(readText(event, 'emitted_at'));
    return {
      // Front documents no delivery id; event ids (evt_...) are used when the body has one.
      id: readText(event, 'id') ?? bodyHash(req.body),
      type: requireText(payload, 'type'),
      ...(conversation && { correlationKey: `conversation:${conversation}` }),
      ...(Number.isFinite(emitted) && emitted > 0 && { occurredAt: new Date(emitted * 1000) }),
    };
  },
  sign(payload, cfg, opts) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (cfg.mode === 'rule') {
      headers[signatureHeader] = signHmac(ruleScheme, cfg.secret[0]!, [payload]);
    } else {
      const ts = String(opts.now.getTime());
      headers[timestampHeader] = ts;
      headers[signatureHeader] = signHmac(appScheme, cfg.secret[0]!, [Buffer.from(`${ts}:`), payload]);
    }
    return { headers, body: payload };
  },
};
