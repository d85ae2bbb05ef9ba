import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { circleci } from '../../../src/sources/circleci.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from CircleCI's docs: v1 = lowercase hex HMAC-SHA256(secret, raw body).
const v1 = (secret: string, body: Buffer | string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(circleci, { secret: ['current-secret', 'previous-secret'] });
const body = fixture('circleci', 'workflow-completed');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'circleci-event-type': 'workflow-completed', 'circleci-signature': signature });

describe('circleci: verify', () => {
  it('matches the published test vector', () => {
    expect(v1('secret', 'hello world')).toBe('v1=734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a');
  });

  it.each([
    ['valid', v1('current-secret', body), { ok: true }],
    ['previous secret (rotation)', v1('previous-secret', body), { ok: true }],
    ['v1 among other versions', `v2=${'a'.repeat(64)},${v1('current-secret', body)}`, { ok: true }],
    ['wrong secret', v1('other', body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'v1=abcd', { ok: false, reason: 'mismatch' }],
    ['only unknown versions', `v2=${'a'.repeat(64)}`, { ok: false, reason: 'mismatch' }],
    ['not hex', 'v1=zzzz', { ok: false, reason: 'malformed' }],
    ['no version prefix', createHmac('sha256', 'current-secret').update(body).digest('hex'), { ok: false, reason: 'malformed' }],
    ['blank', '  ', { ok: false, reason: 'missing' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await circleci.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('fails when the body was re-serialised after signing', async () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await circleci.verify(request(v1('current-secret', body), reformatted), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('circleci: describe', () => {
  it.each([
    ['workflow-completed', '3888f21b-eaa7-38e3-8f3d-75a63bba8895'],
    ['job-completed', '4cd8b4a1-1a5e-3e2b-bf38-0a8c57a3f0a1'],
  ])('%s: body id and type, the workflow as correlation key', (name, id) => {
    const facts = describeRequest(circleci, rawRequest(fixture('circleci', name)), cfg);
    expect(facts).toEqual({ id, type: name, correlationKey: 'workflow:fda08377-fe7e-46b1-8992-3a7aaecac9c3', occurredAt: expect.any(Date) });
  });

  it('a ping has no workflow and no correlation key', () => {
    const facts = describeRequest(circleci, rawRequest('{"type":"ping","id":"p-1"}'), cfg);
    expect(facts).toEqual({ id: 'p-1', type: 'ping' });
  });

  it.each([
    ['no id', '{"type":"workflow-completed"}'],
    ['no type', '{"id":"x"}'],
    ['not JSON', '{"id":'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(circleci, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('circleci: sign', () => {
  it('sends what CircleCI sends, and it verifies', async () => {
    const signed = await circleci.sign(body, cfg, { now, url: new URL('https://x/hooks/ci') });
    expect(signed.headers['circleci-signature']).toBe(v1('current-secret', body));
    expect(signed.headers['circleci-event-type']).toBe('workflow-completed');
    expect(await circleci.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('circleci: config', () => {
  it('accepts api for the rerun action', () => {
    expect(circleci.config.safeParse({ type: 'circleci', secret: 's', api: { url: 'https://circleci.com/api/v2', token: 't' } }).success).toBe(true);
  });

  it.each([
    ['missing secret', {}],
    ['empty secret', { secret: '' }],
    ['unknown key', { secret: 's', tolerance: '5m' }],
    ['bad api url', { secret: 's', api: { url: 'not a url' } }],
  ])('rejects %s', (_name, entry) => expect(circleci.config.safeParse({ type: 'circleci', ...entry }).success).toBe(false));
});
