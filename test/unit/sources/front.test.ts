import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { front } from '../../../src/sources/front.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signers from Front's docs. Rule webhooks: base64 HMAC-SHA1(API secret, body).
// App webhooks: base64 HMAC-SHA256(signing key, "<X-Front-Request-Timestamp>:<body>"), timestamp in ms.
const ruleSig = (secret: string, body: Buffer) => createHmac('sha1', secret).update(body).digest('base64');
const appSig = (secret: string, ts: number, body: Buffer) => createHmac('sha256', secret).update(`${ts}:`).update(body).digest('base64');

const now = new Date('2026-03-01T12:00:00Z');
const nowMs = now.getTime();
const ruleCfg = configOf(front, { secret: ['fr-current', 'fr-previous'] });
const appCfg = configOf(front, { mode: 'app', secret: ['app-current', 'app-previous'] });
const ruleBody = fixture('front', 'inbound');
const appBody = fixture('front', 'app-inbound_received');
const ruleReq = (signature: string | undefined, b: Buffer = ruleBody) => rawRequest(b, { 'content-type': 'application/json', 'x-front-signature': signature });
const appReq = (ts: number | string | undefined, signature: string | undefined) =>
  rawRequest(appBody, { 'content-type': 'application/json', 'x-front-request-timestamp': ts === undefined ? undefined : String(ts), 'x-front-signature': signature });

describe('front: verify (rule webhooks)', () => {
  it.each([
    ['valid', ruleSig('fr-current', ruleBody), { ok: true }],
    ['previous secret (rotation)', ruleSig('fr-previous', ruleBody), { ok: true }],
    ['wrong secret', ruleSig('other', ruleBody), { ok: false, reason: 'mismatch' }],
    ['an app-style signature', appSig('fr-current', nowMs, ruleBody), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'AAAA', { ok: false, reason: 'mismatch' }],
    ['not base64', 'sha1=abc', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await front.verify(ruleReq(signature), ruleCfg, now)).toEqual(expected);
  });

  it('fails on a re-serialised body', async () => {
    const spaced = Buffer.from(JSON.stringify(JSON.parse(ruleBody.toString()), null, 1));
    expect(await front.verify(ruleReq(ruleSig('fr-current', ruleBody), spaced), ruleCfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('front: verify (app webhooks)', () => {
  it.each([
    ['valid', nowMs, appSig('app-current', nowMs, appBody), { ok: true }],
    ['previous key (rotation)', nowMs, appSig('app-previous', nowMs, appBody), { ok: true }],
    ['4m59s old', nowMs - 299_000, appSig('app-current', nowMs - 299_000, appBody), { ok: true }],
    ['stale (6 minutes old)', nowMs - 360_000, appSig('app-current', nowMs - 360_000, appBody), { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', nowMs + 360_000, appSig('app-current', nowMs + 360_000, appBody), { ok: false, reason: 'future' }],
    ['timestamp in seconds (read as 1970)', nowMs / 1000, appSig('app-current', nowMs / 1000, appBody), { ok: false, reason: 'stale' }],
    ['a rule-style signature', nowMs, ruleSig('app-current', appBody), { ok: false, reason: 'mismatch' }],
    ['timestamp changed after signing', nowMs + 1, appSig('app-current', nowMs, appBody), { ok: false, reason: 'mismatch' }],
    ['timestamp not a number', 'now', appSig('app-current', nowMs, appBody), { ok: false, reason: 'malformed' }],
    ['no timestamp', undefined, appSig('app-current', nowMs, appBody), { ok: false, reason: 'missing' }],
    ['no signature', nowMs, undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, ts, signature, expected) => {
    expect(await front.verify(appReq(ts, signature), appCfg, now)).toEqual(expected);
  });
});

describe('front: describe', () => {
  it('rule webhook: the event id and type, the conversation as correlation key', () => {
    expect(describeRequest(front, ruleReq('x'), ruleCfg)).toEqual({ id: 'evt_6a1b2c3d', type: 'inbound', correlationKey: 'conversation:cnv_9x8y7z', occurredAt: new Date(1772366310512) });
  });

  it('app webhook: the wrapper type, the wrapped event for id and conversation', () => {
    expect(describeRequest(front, appReq(nowMs, 'x'), appCfg)).toEqual({ id: 'evt_6a1b2c3d', type: 'inbound_received', correlationKey: 'conversation:cnv_9x8y7z', occurredAt: new Date(1772366310512) });
  });

  it('no event id: the body hash', () => {
    expect(describeRequest(front, rawRequest('{"type":"sync"}'), ruleCfg)).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'sync' });
  });

  it.each([
    ['no type', '{"id":"evt_1"}'],
    ['not JSON', 'undefined'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(front, rawRequest(b), ruleCfg)).toThrow(MalformedRequestError);
  });
});

describe('front: sign', () => {
  it('rule mode: base64 SHA-1 of the body', async () => {
    const signed = await front.sign(ruleBody, ruleCfg, { now, url: new URL('https://x/hooks/front') });
    expect(signed.headers['x-front-signature']).toBe(ruleSig('fr-current', ruleBody));
    expect(signed.headers['x-front-request-timestamp']).toBeUndefined();
    expect(await front.verify(fromSigned(signed), ruleCfg, now)).toEqual({ ok: true });
  });

  it('app mode: base64 SHA-256 of "ts:body" with a millisecond timestamp', async () => {
    const signed = await front.sign(appBody, appCfg, { now, url: new URL('https://x/hooks/front') });
    expect(signed.headers['x-front-request-timestamp']).toBe(String(nowMs));
    expect(signed.headers['x-front-signature']).toBe(appSig('app-current', nowMs, appBody));
    expect(await front.verify(fromSigned(signed), appCfg, now)).toEqual({ ok: true });
  });
});

describe('front: config', () => {
  it('defaults to rule mode and a 5 minute tolerance', () => {
    expect(ruleCfg.mode).toBe('rule');
    expect(appCfg.tolerance).toBe(300_000);
  });

  it.each([
    ['missing secret', {}],
    ['unknown mode', { secret: 's', mode: 'plugin' }],
    ['zero tolerance', { secret: 's', mode: 'app', tolerance: '0s' }],
  ])('rejects %s', (_name, entry) => expect(front.config.safeParse({ type: 'front', ...entry }).success).toBe(false));
});
