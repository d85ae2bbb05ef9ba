import { describe, expect, it } from 'vitest';
import { findSourceType, sourceTypes } from '../../../src/sources/registry.js';
import { fixture } from './fixture.js';
import { describeRequest, fromSigned } from './raw-request.js';

const secretText = 'SUPER-SECRET-VALUE-0123456789';
const now = new Date('2026-03-01T12:00:00Z');

/**
 * A minimal valid entry per type (carrying `secretText`) and a payload it can sign. `unsignable`
 * names why a type cannot sign here (its provider holds the private key; its own test file signs
 * with a test key instead); `bodyCredentials` marks types whose credentials travel in the body.
 */
const samples: Record<string, { entry: Record<string, unknown>; payload: Buffer; event?: string; unsignable?: string; bodyCredentials?: boolean }> = {
  github: { entry: { secret: secretText }, payload: Buffer.from('{"zen":"Keep it logically awesome.","hook_id":1}'), event: 'ping' },
  gitlab: { entry: { secret: secretText }, payload: fixture('gitlab', 'pipeline') },
  stripe: { entry: { secret: secretText }, payload: fixture('stripe', 'charge.succeeded') },
  alertmanager: { entry: { token: secretText }, payload: fixture('alertmanager', 'firing') },
  standard: { entry: { secret: 'whsec_' + Buffer.from(secretText).toString('base64') }, payload: Buffer.from('{"type":"ping"}') },
  generic: { entry: { secret: secretText, signature: { header: 'x-signature' } }, payload: Buffer.from('{"a":1}') },
  circleci: { entry: { secret: secretText }, payload: fixture('circleci', 'workflow-completed') },
  buildkite: { entry: { secret: secretText }, payload: fixture('buildkite', 'build.finished') },
  bitbucket: { entry: { secret: secretText }, payload: fixture('bitbucket', 'pullrequest-created'), event: 'pullrequest:created' },
  jenkins: { entry: { token: secretText }, payload: fixture('jenkins', 'completed') },
  'azure-devops': { entry: { basic: { username: 'ado', password: secretText } }, payload: fixture('azure-devops', 'build.complete') },
  vercel: { entry: { secret: secretText }, payload: fixture('vercel', 'deployment.error') },
  paddle: { entry: { secret: secretText }, payload: fixture('paddle', 'transaction.completed') },
  shopify: { entry: { secret: secretText }, payload: fixture('shopify', 'orders-create'), event: 'orders/create' },
  lemonsqueezy: { entry: { secret: secretText }, payload: fixture('lemonsqueezy', 'order_created') },
  square: { entry: { secret: secretText, notificationUrl: 'https://hooks.example.com/hooks/square' }, payload: fixture('square', 'payment.updated') },
  paypal: {
    entry: { webhookId: 'WH-TEST' },
    payload: fixture('paypal', 'payment.capture.completed'),
    unsignable: 'only PayPal holds the signing key; paypal.test.ts signs with a test key and certificate',
  },
  braintree: {
    entry: { publicKey: 'pk', privateKey: secretText },
    payload: Buffer.from('<notification><timestamp type="datetime">2026-03-01T12:00:00Z</timestamp><kind>check</kind><subject><check type="boolean">true</check></subject></notification>'),
    bodyCredentials: true,
  },
  grafana: { entry: { secret: secretText, timestampHeader: 'X-Grafana-Alerting-Timestamp' }, payload: fixture('grafana', 'firing') },
  pagerduty: { entry: { secret: secretText }, payload: fixture('pagerduty', 'incident.triggered') },
  sentry: { entry: { secret: secretText }, payload: fixture('sentry', 'issue.created'), event: 'issue.created' },
  datadog: { entry: { token: secretText }, payload: fixture('datadog', 'triggered') },
  opsgenie: { entry: { token: secretText }, payload: fixture('opsgenie', 'create') },
  newrelic: { entry: { token: secretText }, payload: fixture('newrelic', 'activated') },
  zendesk: { entry: { secret: secretText }, payload: fixture('zendesk', 'ticket.status_changed') },
  intercom: { entry: { secret: secretText }, payload: fixture('intercom', 'conversation.user.created') },
  helpscout: { entry: { secret: secretText }, payload: fixture('helpscout', 'convo.created'), event: 'convo.created' },
  front: { entry: { secret: secretText, mode: 'app' }, payload: fixture('front', 'app-inbound_received') },
  linear: { entry: { secret: secretText }, payload: fixture('linear', 'Issue.create') },
  jira: { entry: { secret: secretText }, payload: fixture('jira', 'jira-issue_updated') },
  freshdesk: { entry: { basic: { username: 'fd', password: secretText } }, payload: fixture('freshdesk', 'ticket') },
};

describe('registry', () => {
  it('lists each type once and finds it by name', () => {
    const names = sourceTypes.map((s) => s.type);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 6)).toEqual(['github', 'gitlab', 'stripe', 'alertmanager', 'standard', 'generic']);
    for (const s of sourceTypes) expect(findSourceType(s.type)).toBe(s);
    expect(findSourceType('nope')).toBeUndefined();
  });
});

describe.each(sourceTypes.map((s) => [s.type, s] as const))('%s', (type, source) => {
  const sample = samples[type]!;

  // A new provider must add its row above, so every type runs the whole suite.
  it('has a sample in this table', () => expect(sample).toBeDefined());
  if (!sample) return;

  it('accepts its minimal config and the common keys', () => {
    expect(source.config.safeParse({ type, ...sample.entry, allow: ['10.0.0.0/8'], rateLimit: '10/s' }).success).toBe(true);
    // A count of 0 would answer 429 to every request.
    const zero = source.config.safeParse({ type, ...sample.entry, rateLimit: '0/s' });
    expect(zero.success).toBe(false);
    expect(zero.error?.issues.map((i) => i.message)).toContain('the count must be at least 1 (leave the key out for no limit)');
  });

  it('rejects an unknown key, another type and a missing type', () => {
    expect(source.config.safeParse({ type, ...sample.entry, unknownKey: 1 }).success).toBe(false);
    expect(source.config.safeParse({ type: 'other', ...sample.entry }).success).toBe(false);
    expect(source.config.safeParse({ ...sample.entry }).success).toBe(false);
  });

  it('never echoes a secret in config errors', () => {
    const bad = { type, ...sample.entry, unknownKey: secretText, api: { url: secretText } };
    const r = source.config.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).not.toContain(secretText);
    expect(r.error?.message).not.toContain(secretText);
  });

  it.skipIf(sample?.unsignable !== undefined)('sign() output verifies and describes', async () => {
    const cfg = source.config.parse({ type, ...sample.entry });
    const signed = await source.sign(sample.payload, cfg, { now, url: new URL(`https://x/hooks/${type}`), event: sample.event, deliveryId: 'd-1' });
    const req = fromSigned(signed);
    expect(await source.verify(req, cfg, now)).toEqual({ ok: true });
    const facts = describeRequest(source, req, cfg);
    expect(facts.id).not.toBe('');
    expect(facts.type).not.toBe('');
  });

  it.skipIf(sample?.unsignable !== undefined || sample?.bodyCredentials)('rejects the same request with its credentials removed', async () => {
    const cfg = source.config.parse({ type, ...sample.entry });
    const signed = await source.sign(sample.payload, cfg, { now, url: new URL(`https://x/hooks/${type}`), event: sample.event });
    const stripped = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => /^(content-type|user-agent|x-github-event|x-github-delivery|idempotency-key|x-gitlab-event(-uuid)?|webhook-id|webhook-timestamp)$/.test(k)));
    const result = await source.verify(fromSigned({ ...signed, headers: stripped }), cfg, now);
    expect(result).toEqual({ ok: false, reason: 'missing' });
  });

  it('keeps no credential headers', () => {
    for (const h of source.keepHeaders ?? []) expect(h).not.toMatch(/token|signature|authorization|hmac/);
  });
});
