import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sentry } from '../../../src/sources/sentry.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// Independent signer from Sentry's integration platform docs: hex HMAC-SHA256(client secret, raw body).
const hex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(sentry, { secret: ['sn-current', 'sn-previous'] });
const body = fixture('sentry', 'issue.created');
const request = (signature: string | undefined, b: Buffer = body, resource = 'issue') =>
  rawRequest(b, {
    'content-type': 'application/json',
    'request-id': '8e6f3b2a1c0d4e5f9a8b7c6d5e4f3a2b',
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': '1772366399',
    'sentry-hook-signature': signature,
  });

describe('sentry: verify', () => {
  it.each([
    ['valid', hex('sn-current', body), { ok: true }],
    ['previous secret (rotation)', hex('sn-previous', body), { ok: true }],
    ['wrong secret', hex('other', body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'abcdef', { ok: false, reason: 'mismatch' }],
    ['odd-length hex', 'abc', { ok: false, reason: 'malformed' }],
    ['not hex', 'g'.repeat(64), { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await sentry.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('verifies the raw bytes: Sentry escapes non-ASCII as \\u00e9, re-serialising breaks it', async () => {
    expect(body.toString()).toContain('\\u00e9');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await sentry.verify(request(hex('sn-current', body), reformatted), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('the unsigned timestamp header plays no part', async () => {
    const req = withHeaders(request(hex('sn-current', body)), { 'sentry-hook-timestamp': '1' });
    expect(await sentry.verify(req, cfg, now)).toEqual({ ok: true });
  });
});

describe('sentry: describe', () => {
  it.each([
    ['issue.created', 'issue', 'issue:4120897654'],
    ['event_alert.triggered', 'event_alert', 'issue:4120897654'],
    ['metric_alert.critical', 'metric_alert', 'metric_alert:70213'],
  ])('%s: Request-ID, resource + action, correlation %s', (type, resource, correlationKey) => {
    const req = request(undefined, fixture('sentry', type), resource);
    expect(describeRequest(sentry, req, cfg)).toEqual({ id: '8e6f3b2a1c0d4e5f9a8b7c6d5e4f3a2b', type, correlationKey, occurredAt: new Date(1772366399000) });
  });

  it('comments and errors point at their issue', () => {
    const comment = rawRequest('{"action":"created","data":{"comment_id":"9","issue_id":"77","comment":"on it"}}', { 'sentry-hook-resource': 'comment' });
    expect(describeRequest(sentry, comment, cfg)).toMatchObject({ type: 'comment.created', correlationKey: 'issue:77' });
    const error = rawRequest('{"action":"created","data":{"error":{"issue_id":"78"}}}', { 'sentry-hook-resource': 'error' });
    expect(describeRequest(sentry, error, cfg)).toMatchObject({ type: 'error.created', correlationKey: 'issue:78' });
  });

  it('without Request-ID the body hash is the id; an installation has no correlation key', () => {
    const req = rawRequest('{"action":"created","data":{"installation":{"uuid":"u"}}}', { 'sentry-hook-resource': 'installation' });
    const facts = describeRequest(sentry, req, cfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'installation.created' });
    expect(describeRequest(sentry, req, cfg).id).toBe(facts.id);
  });

  it.each([
    ['no Sentry-Hook-Resource header', rawRequest(body)],
    ['no action', rawRequest('{"data":{}}', { 'sentry-hook-resource': 'issue' })],
    ['not JSON', rawRequest('nope', { 'sentry-hook-resource': 'issue' })],
  ])('%s is a MalformedRequestError', (_name, req) => {
    expect(() => describeRequest(sentry, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('sentry: sign', () => {
  it.each([
    ['issue.created', 'issue'],
    ['event_alert.triggered', 'event_alert'],
    ['metric_alert.critical', 'metric_alert'],
  ])('%s: names the resource, signs the body, and verifies', async (name, resource) => {
    const b = fixture('sentry', name);
    const signed = await sentry.sign(b, cfg, { now, url: new URL('https://x/hooks/sentry'), deliveryId: 'r-1' });
    expect(signed.headers['sentry-hook-signature']).toBe(hex('sn-current', b));
    expect(signed.headers['sentry-hook-resource']).toBe(resource);
    expect(signed.headers['request-id']).toBe('r-1');
    expect(await sentry.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(describeRequest(sentry, fromSigned(signed), cfg).type).toBe(name);
  });
});

describe('sentry: config', () => {
  it('accepts api for resolve', () => {
    expect(sentry.config.safeParse({ type: 'sentry', secret: 's', api: { url: 'https://sentry.io/api/0', token: 't' } }).success).toBe(true);
  });

  it.each([
    ['missing secret', {}],
    ['empty secret', { secret: '' }],
    ['a tolerance (the timestamp is not signed)', { secret: 's', tolerance: '5m' }],
  ])('rejects %s', (_name, entry) => expect(sentry.config.safeParse({ type: 'sentry', ...entry }).success).toBe(false));
});
