import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { paddle } from '../../../src/sources/paddle.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Paddle's docs: h1 = hex HMAC-SHA256(secret, "<ts>:<raw body>") (colon).
const h1 = (secret: string, ts: number, body: Buffer) => createHmac('sha256', secret).update(`${ts}:`).update(body).digest('hex');

const now = new Date('2026-03-01T12:00:00Z');
const nowS = now.getTime() / 1000;
const cfg = configOf(paddle, { secret: ['pdl_ntfset_current', 'pdl_ntfset_previous'] });
const body = fixture('paddle', 'transaction.completed');
const request = (header: string | undefined) => rawRequest(body, { 'content-type': 'application/json', 'paddle-signature': header });
const valid = (ts = nowS, secret = 'pdl_ntfset_current') => `ts=${ts};h1=${h1(secret, ts, body)}`;

describe('paddle: verify', () => {
  it.each([
    ['valid', valid(), { ok: true }],
    ['previous secret (rotation)', valid(nowS, 'pdl_ntfset_previous'), { ok: true }],
    ['several h1, the valid one first', `ts=${nowS};h1=${h1('pdl_ntfset_current', nowS, body)};h1=${'0'.repeat(64)}`, { ok: true }],
    ['several h1, the valid one last', `ts=${nowS};h1=${'0'.repeat(64)};h1=${h1('pdl_ntfset_current', nowS, body)}`, { ok: true }],
    ['4 s old', valid(nowS - 4), { ok: true }],
    ['stale (10 s old)', valid(nowS - 10), { ok: false, reason: 'stale' }],
    ['future (10 s ahead)', valid(nowS + 10), { ok: false, reason: 'future' }],
    ['wrong secret', valid(nowS, 'pdl_other'), { ok: false, reason: 'mismatch' }],
    ['dot instead of colon (Stripe style)', `ts=${nowS};h1=${createHmac('sha256', 'pdl_ntfset_current').update(`${nowS}.`).update(body).digest('hex')}`, { ok: false, reason: 'mismatch' }],
    ['length-mismatched h1', `ts=${nowS};h1=abcd`, { ok: false, reason: 'mismatch' }],
    ['h1 not hex', `ts=${nowS};h1=zz`, { ok: false, reason: 'malformed' }],
    ['no ts', `h1=${'a'.repeat(64)}`, { ok: false, reason: 'malformed' }],
    ['no h1', `ts=${nowS}`, { ok: false, reason: 'malformed' }],
    ['comma-separated', `ts=${nowS},h1=${h1('pdl_ntfset_current', nowS, body)}`, { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, header, expected) => {
    expect(await paddle.verify(request(header), cfg, now)).toEqual(expected);
  });

  it('honours a configured tolerance', async () => {
    const loose = configOf(paddle, { secret: 'pdl_ntfset_current', tolerance: '1m' });
    expect(await paddle.verify(request(valid(nowS - 30)), loose, now)).toEqual({ ok: true });
  });
});

describe('paddle: describe', () => {
  it.each([
    ['transaction.completed', 'evt_01hv8wt8nffez4p2t6typn4a5j', 'subscription:sub_01hv8x29kz0t586xy6zn1a62ny', '2026-03-01T11:58:02.185Z'],
    ['subscription.canceled', 'evt_01hv9a6k1m2n3p4q5r6s7t8v9w', 'subscription:sub_01hv8x29kz0t586xy6zn1a62ny', '2026-03-01T11:59:40.102Z'],
  ])('%s: event_id (not notification_id), event_type, subscription', (name, id, key, at) => {
    expect(describeRequest(paddle, rawRequest(fixture('paddle', name)), cfg)).toEqual({ id, type: name, correlationKey: key, occurredAt: new Date(at) });
  });

  it.each([
    ['one-off transaction', { event_id: 'e', event_type: 'transaction.paid', data: { id: 'txn_1', subscription_id: null } }, 'transaction:txn_1'],
    ['adjustment of a transaction', { event_id: 'e', event_type: 'adjustment.created', data: { id: 'adj_1', transaction_id: 'txn_1' } }, 'transaction:txn_1'],
    ['customer', { event_id: 'e', event_type: 'customer.created', data: { id: 'ctm_1' } }, undefined],
  ])('%s → %s', (_name, payload, key) => {
    expect(describeRequest(paddle, rawRequest(JSON.stringify(payload)), cfg).correlationKey).toBe(key);
  });

  it.each([
    ['no event_id', '{"event_type":"transaction.paid","notification_id":"ntf_1"}'],
    ['no event_type', '{"event_id":"evt_1"}'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(paddle, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('paddle: sign', () => {
  it('sends ts=;h1= over "ts:body", which verifies', async () => {
    const signed = await paddle.sign(body, cfg, { now, url: new URL('https://x/hooks/paddle') });
    expect(signed.headers['paddle-signature']).toBe(valid());
    expect(await paddle.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('paddle: config', () => {
  it("defaults the tolerance to Paddle's 5 seconds", () => expect(configOf(paddle, { secret: 's' }).tolerance).toBe(5_000));

  it.each([
    ['missing secret', {}],
    ['zero tolerance', { secret: 's', tolerance: 0 }],
    ['unknown key', { secret: 's', classic: true }],
  ])('rejects %s', (_name, entry) => expect(paddle.config.safeParse({ type: 'paddle', ...entry }).success).toBe(false));
});
