import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lemonsqueezy, lemonsqueezyCorrelationKey } from '../../../src/sources/lemonsqueezy.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Lemon Squeezy's docs: hex HMAC-SHA256(signing secret, raw body).
const hex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(lemonsqueezy, { secret: ['ls-current', 'ls-previous'] });
const body = fixture('lemonsqueezy', 'order_created');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'x-event-name': 'order_created', 'x-signature': signature });

describe('lemonsqueezy: verify', () => {
  it.each([
    ['valid', hex('ls-current', body), { ok: true }],
    ['previous secret (rotation)', hex('ls-previous', body), { ok: true }],
    ['wrong secret', hex('other', body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'abcd', { ok: false, reason: 'mismatch' }],
    ['not hex', 'sha256=abc', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await lemonsqueezy.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('keeps the PHP-escaped slashes (\\/) the signature covers', async () => {
    expect(body.toString()).toContain('https:\\/\\/');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await lemonsqueezy.verify(request(hex('ls-current', body), reserialised), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('lemonsqueezy: describe', () => {
  it('reads meta.event_name, the order, and the body hash as id', () => {
    const facts = describeRequest(lemonsqueezy, request('x'), cfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'order_created', correlationKey: 'order:1' });
    expect(describeRequest(lemonsqueezy, request('y'), cfg).id).toBe(facts.id);
  });

  it('a subscription invoice belongs with its subscription', () => {
    const facts = describeRequest(lemonsqueezy, rawRequest(fixture('lemonsqueezy', 'subscription_payment_failed')), cfg);
    expect(facts).toMatchObject({ type: 'subscription_payment_failed', correlationKey: 'subscription:12' });
  });

  it.each([
    [{ data: { type: 'subscriptions', id: '5' } }, 'subscription:5'],
    [{ data: { type: 'license-keys', id: '3', attributes: { order_id: 8 } } }, 'order:8'],
    [{ data: { type: 'affiliates', id: '1' } }, undefined],
  ])('%j → %s', (payload, key) => expect(lemonsqueezyCorrelationKey(payload)).toBe(key));

  it.each([
    ['no meta.event_name', '{"meta":{},"data":{"type":"orders","id":"1"}}'],
    ['not JSON', '<html>'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(lemonsqueezy, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('lemonsqueezy: sign', () => {
  it('sends the hex HMAC and X-Event-Name, which verify', async () => {
    const signed = await lemonsqueezy.sign(body, cfg, { now, url: new URL('https://x/hooks/ls') });
    expect(signed.headers['x-signature']).toBe(hex('ls-current', body));
    expect(signed.headers['x-event-name']).toBe('order_created');
    expect(await lemonsqueezy.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('lemonsqueezy: config', () => {
  it.each([
    ['missing secret', {}],
    ['unknown key', { secret: 's', storeId: 1 }],
  ])('rejects %s', (_name, entry) => expect(lemonsqueezy.config.safeParse({ type: 'lemonsqueezy', ...entry }).success).toBe(false));
});
