import { z } from 'zod';
import { alertmanagerEventId } from './alertmanager.js';
import { apiConfig, basicAuth, commonSourceFields, duration, secrets } from './config-fields.js';
import { readText } from './read-path.js';
import { requireText } from './required.js';
import { MalformedRequestError, type RawRequest, type SourceType, type VerifyResult } from './types.js';
import { credentialHeaders, verifyCredentials } from './verify/credentials.js';
import { type HmacScheme, readSignatures, signHmac, verifyHmac } from './verify/hmac.js';
import { verifyTimestamped } from './verify/timestamped.js';

const headerName = z.string().min(1).transform((h) => h.toLowerCase());

const config = z
  .strictObject({
    type: z.literal('grafana'),
    secret: secrets.optional().describe('HMAC signature secret of the webhook contact point (Grafana 11.6+); a list while rotating'),
    signatureHeader: headerName.default('x-grafana-alerting-signature').describe('"Signature header" set in the contact point'),
    timestampHeader: headerName.optional().describe('"Timestamp header" set in the contact point; Grafana then signs "ts:body"'),
    tolerance: duration
      .refine((ms) => ms > 0, 'tolerance must be positive')
      .default(300_000)
      .describe('how far the signed timestamp may be from our clock, either way (only with timestampHeader)'),
    token: secrets.optional().describe('credentials of the Authorization header (scheme Bearer); a list while rotating'),
    basic: basicAuth.optional().describe('basic auth username and password of the contact point'),
    api: apiConfig.optional(),
    ...commonSourceFields,
  })
  .superRefine((c, ctx) => {
    if (c.secret === undefined && c.token === undefined && c.basic === undefined) {
      ctx.addIssue({ code: 'custom', message: 'grafana needs secret (HMAC signature), token (bearer) or basic: { username, password }' });
    }
    if (c.timestampHeader !== undefined && c.secret === undefined) {
      ctx.addIssue({ code: 'custom', path: ['timestampHeader'], message: 'timestampHeader is part of the signature: set secret too' });
    }
  });

export type GrafanaConfig = z.infer<typeof config>;

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };

function verifySignature(req: RawRequest, cfg: GrafanaConfig, now: Date): VerifyResult {
  const signatures = readSignatures(req, { ...scheme, header: cfg.signatureHeader });
  if (!cfg.timestampHeader) return verifyHmac(scheme, cfg.secret!, [req.body], signatures);
  return verifyTimestamped({
    scheme,
    keys: cfg.secret!,
    timestamp: req.headers[cfg.timestampHeader],
    signatures,
    signed: (ts) => [Buffer.from(`${ts}:`), req.body],
    now,
    toleranceMs: cfg.tolerance,
  });
}

/** Every configured check must pass: a contact point with a signature and an Authorization header needs both. */
function verifyGrafana(req: RawRequest, cfg: GrafanaConfig, now: Date): VerifyResult {
  if (cfg.secret) {
    const signed = verifySignature(req, cfg, now);
    if (!signed.ok || (!cfg.token && !cfg.basic)) return signed;
  }
  return verifyCredentials(req, cfg);
}

export const grafana: SourceType<GrafanaConfig> = {
  type: 'grafana',
  area: 'monitoring',
  summary: 'Grafana Alerting webhook contact point',
  // The contact point's "HTTP Method" setting offers PUT beside the default POST.
  methods: ['PUT'],
  verification:
    'X-Grafana-Alerting-Signature: <hex HMAC-SHA256 of the body, or of "ts:body" with a timestamp header>, and/or Authorization: Bearer / Basic',
  config,
  verify: verifyGrafana,
  describe(_req, payload) {
    const status = requireText(payload, 'status');
    if (status !== 'firing' && status !== 'resolved') throw new MalformedRequestError('status must be firing or resolved');
    const groupKey = requireText(payload, 'groupKey');
    const version = readText(payload, 'version');
    // The same notification shape as Alertmanager and no delivery id: identified the same way.
    return { id: alertmanagerEventId(payload, groupKey, status), type: status, correlationKey: groupKey, ...(version && { version }) };
  },
  sign(payload, cfg, opts) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Grafana', ...credentialHeaders(cfg) };
    if (cfg.secret) {
      const ts = String(Math.floor(opts.now.getTime() / 1000));
      const parts = cfg.timestampHeader ? [Buffer.from(`${ts}:`), payload] : [payload];
      headers[cfg.signatureHeader] = signHmac(scheme, cfg.secret[0]!, parts);
      if (cfg.timestampHeader) headers[cfg.timestampHeader] = ts;
    }
    return { headers, body: payload };
  },
};
