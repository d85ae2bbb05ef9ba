import { z } from 'zod';
import { bodyHash } from './body-hash.js';
import { apiConfig, commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { MalformedRequestError, type RawRequest, type SourceType, type VerifyResult } from './types.js';
import { type HmacScheme, signHmac } from './verify/hmac.js';
import { headerParams } from './verify/header-params.js';
import { verifyTimestamped } from './verify/timestamped.js';
import { verifyTokenHeader } from './verify/token.js';

const config = z
  .strictObject({
    type: z.literal('buildkite'),
    secret: secrets.optional().describe('webhook token used as the HMAC key, for "X-Buildkite-Signature"; a list while rotating'),
    token: secrets.optional().describe('webhook token sent in clear as "X-Buildkite-Token"; a list while rotating'),
    tolerance: duration
      .refine((ms) => ms > 0, 'tolerance must be positive')
      .default(300_000)
      .describe('how far the signed timestamp may be from our clock, either way (Buildkite suggests 5m)'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .superRefine((c, ctx) => {
    if (c.secret === undefined && c.token === undefined) {
      ctx.addIssue({ code: 'custom', message: 'buildkite needs secret (signature mode) or token (token mode)' });
    }
    if (c.secret !== undefined && c.token !== undefined) {
      // Buildkite sends one or the other per webhook; accepting both would let the weaker one in.
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'set either secret (signature mode) or token, not both' });
    }
  });

export type BuildkiteConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

/** `X-Buildkite-Signature: timestamp=<unix>,signature=<hex of HMAC-SHA256("<ts>.<body>")>`. */
function verifySignature(req: RawRequest, keys: readonly string[], now: Date, toleranceMs: number): VerifyResult {
  const header = req.headers['x-buildkite-signature'];
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const params = headerParams(header, ',');
  const timestamp = params.get('timestamp')?.[0];
  const signatures = params.get('signature') ?? [];
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  return verifyTimestamped({ scheme, keys, timestamp, signatures, signed: (ts) => [Buffer.from(`${ts}.`), req.body], now, toleranceMs });
}

/** The event type: the header, else the body's `event` (both are always sent). */
export function buildkiteEventType(req: RawRequest, payload: unknown): string {
  const type = req.headers['x-buildkite-event']?.trim() || readText(payload, 'event');
  if (!type) throw new MalformedRequestError('missing X-Buildkite-Event header and body event');
  return type;
}

export const buildkite: SourceType<BuildkiteConfig> = {
  type: 'buildkite',
  area: 'ci',
  summary: 'Buildkite pipeline / organisation webhooks (build.*, job.*, agent.*)',
  verification: 'X-Buildkite-Signature: timestamp=<unix>,signature=<hex HMAC-SHA256 of "ts.body">, within the tolerance; or X-Buildkite-Token equals the token',
  config,
  verify: (req, cfg, now) =>
    cfg.secret ? verifySignature(req, cfg.secret, now, cfg.tolerance) : verifyTokenHeader(req, 'x-buildkite-token', cfg.token ?? []),
  describe(req, payload) {
    const type = buildkiteEventType(req, payload);
    // Buildkite sends no delivery id; a redelivery of the same bytes is recognised by its hash.
    const build = readText(payload, 'build.id');
    return { id: bodyHash(req.body), type, ...(build && { correlationKey: `build:${build}` }) };
  },
  keepHeaders: ['x-buildkite-event'],
  sign(payload, cfg, opts) {
    let event = opts.event;
    try {
      event ??= readText(JSON.parse(payload.toString('utf8')), 'event');
    } catch {
      // Not JSON: sent as-is.
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Buildkite-Request',
      'x-buildkite-event': event ?? 'ping',
    };
    if (cfg.secret) {
      const ts = String(Math.floor(opts.now.getTime() / 1000));
      headers['x-buildkite-signature'] = `timestamp=${ts},signature=${signHmac(scheme, cfg.secret[0]!, [Buffer.from(`${ts}.`), payload])}`;
    } else {
      headers['x-buildkite-token'] = cfg.token![0]!;
    }
    return { headers, body: payload };
  },
};
