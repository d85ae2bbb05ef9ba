import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { intercom } from '../../../src/sources/intercom.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Intercom's docs: "sha1=" + hex HMAC-SHA1(client secret, raw body).
const sha1 = (secret: string, body: Buffer | string) => `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(intercom, { secret: ['ic-current', 'ic-previous'] });
const body = fixture('intercom', 'conversation.user.created');
const request = (signature: string | undefined, b: Buffer = body) => rawRequest(b, { 'content-type': 'application/json', 'x-hub-signature': signature });

describe('intercom: verify', () => {
  it.each([
    ['valid', sha1('ic-current', body), { ok: true }],
    ['previous secret (rotation)', sha1('ic-previous', body), { ok: true }],
    ['wrong secret', sha1('other', body), { ok: false, reason: 'mismatch' }],
    ['sha256 of the body', `sha1=${createHmac('sha256', 'ic-current').update(body).digest('hex')}`, { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'sha1=abcd', { ok: false, reason: 'mismatch' }],
    ['sha256= prefix', `sha256=${createHmac('sha1', 'ic-current').update(body).digest('hex')}`, { ok: false, reason: 'malformed' }],
    ['no prefix', createHmac('sha1', 'ic-current').update(body).digest('hex'), { ok: false, reason: 'malformed' }],
    ['not hex', 'sha1=xyz0', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await intercom.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('fails on a re-serialised body', async () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(await intercom.verify(request(sha1('ic-current', body), reformatted), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('intercom: describe', () => {
  it('notification id, topic, the conversation as correlation key', () => {
    expect(describeRequest(intercom, request(undefined), cfg)).toEqual({
      id: 'notif_a5b6c7d8-e9f0-4a1b-8c2d-3e4f5a6b7c8d',
      type: 'conversation.user.created',
      correlationKey: 'conversation:2891',
      occurredAt: new Date(1772366341 * 1000),
    });
  });

  it('the ping has no item and no correlation key', () => {
    expect(describeRequest(intercom, rawRequest('{"type":"notification_event","id":"n-1","topic":"ping","data":{"item":{"type":"ping","message":"hi"}}}'), cfg)).toEqual({ id: 'n-1', type: 'ping' });
  });

  it.each([
    ['no id', '{"topic":"ping"}'],
    ['no topic', '{"id":"n-1"}'],
    ['not JSON', ''],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(intercom, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('intercom: sign', () => {
  it('sends sha1=<hex>, which verifies', async () => {
    const signed = await intercom.sign(body, cfg, { now, url: new URL('https://x/hooks/ic') });
    expect(signed.headers['x-hub-signature']).toBe(sha1('ic-current', body));
    expect(await intercom.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('intercom: config', () => {
  it.each([
    ['missing secret', {}],
    ['empty secret', { secret: '' }],
    ['api', { secret: 's', api: { url: 'https://api.intercom.io' } }],
  ])('rejects %s', (_name, entry) => expect(intercom.config.safeParse({ type: 'intercom', ...entry }).success).toBe(false));
});
