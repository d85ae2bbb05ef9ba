import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { square } from '../../../src/sources/square.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Square's docs: base64 HMAC-SHA256(signature key, notification URL + raw body).
const sig = (key: string, url: string, body: Buffer) => createHmac('sha256', key).update(url).update(body).digest('base64');

const now = new Date('2026-03-01T12:00:00Z');
const notificationUrl = 'https://hooks.example.com/hooks/square';
const cfg = configOf(square, { secret: ['sq-current', 'sq-previous'], notificationUrl });
const body = fixture('square', 'payment.updated');
// What the server sees behind a proxy: another scheme, host and port than the URL Square signed.
const request = (signature: string | undefined) =>
  rawRequest(body, { 'content-type': 'application/json', 'x-square-hmacsha256-signature': signature }, 'http://10.0.0.5:8080/hooks/square');

describe('square: verify', () => {
  it.each([
    ['valid (URL from config, not the request)', sig('sq-current', notificationUrl, body), { ok: true }],
    ['previous key (rotation)', sig('sq-previous', notificationUrl, body), { ok: true }],
    ['signed for another URL', sig('sq-current', `${notificationUrl}/`, body), { ok: false, reason: 'mismatch' }],
    ['body only, no URL', createHmac('sha256', 'sq-current').update(body).digest('base64'), { ok: false, reason: 'mismatch' }],
    ['wrong key', sig('other', notificationUrl, body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'YWJj', { ok: false, reason: 'mismatch' }],
    ['not base64', '***', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await square.verify(request(signature), cfg, now)).toEqual(expected);
  });
});

describe('square: describe', () => {
  it('reads event_id, type and the object id', () => {
    expect(describeRequest(square, request('x'), cfg)).toEqual({
      id: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
      type: 'payment.updated',
      correlationKey: 'hYy9pRFVxpDsO1FB05SunFWUe9JZY',
      occurredAt: new Date('2026-03-01T11:58:12.813Z'),
    });
  });

  it.each([
    ['no event_id', '{"type":"payment.updated","data":{"id":"p"}}'],
    ['no type', '{"event_id":"e","data":{"id":"p"}}'],
    ['not JSON', 'x'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(square, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('square: sign', () => {
  it('signs the configured notification URL + body, which verifies', async () => {
    const signed = await square.sign(body, cfg, { now, url: new URL('http://127.0.0.1:8080/hooks/square') });
    expect(signed.headers['x-square-hmacsha256-signature']).toBe(sig('sq-current', notificationUrl, body));
    expect(await square.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('square: config', () => {
  it('keeps notificationUrl byte for byte', () => {
    const url = 'https://Hooks.Example.com:443/hooks/square/';
    expect(configOf(square, { secret: 's', notificationUrl: url }).notificationUrl).toBe(url);
  });

  it.each([
    ['no notificationUrl', { secret: 's' }],
    ['notificationUrl not a URL', { secret: 's', notificationUrl: 'hooks/square' }],
    ['notificationUrl not http(s)', { secret: 's', notificationUrl: 'ftp://x/y' }],
    ['missing secret', { notificationUrl }],
    ['unknown key', { secret: 's', notificationUrl, url: notificationUrl }],
  ])('rejects %s', (_name, entry) => expect(square.config.safeParse({ type: 'square', ...entry }).success).toBe(false));
});
