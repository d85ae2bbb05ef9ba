import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { parseStripeSignature, stripe } from '../../../src/sources/stripe.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

const client = new Stripe('sk_test_not_used');
const secret = 'whsec_test_current';
const cfg = configOf(stripe, { secret: [secret, 'whsec_test_previous'] });
const now = new Date('2026-03-01T12:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);

function request(name: string, o: { key?: string; timestamp?: number; header?: string } = {}) {
  const body = fixture('stripe', name);
  const header = o.header ?? client.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret: o.key ?? secret, timestamp: o.timestamp ?? nowS });
  return rawRequest(body, { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header });
}

describe('stripe: verify (signed with stripe.webhooks.generateTestHeaderString)', () => {
  it.each([
    ['valid', {}, { ok: true }],
    ['second secret (rotation)', { key: 'whsec_test_previous' }, { ok: true }],
    ['wrong secret', { key: 'whsec_other' }, { ok: false, reason: 'mismatch' }],
    ['4m59s old', { timestamp: nowS - 299 }, { ok: true }],
    ['stale (6 minutes old)', { timestamp: nowS - 360 }, { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', { timestamp: nowS + 360 }, { ok: false, reason: 'future' }],
  ])('%s', async (_name, o, expected) => {
    expect(await stripe.verify(request('payment_intent.succeeded', o), cfg, now)).toEqual(expected);
  });

  it('agrees with stripe.webhooks.constructEvent on the same request', async () => {
    const req = request('charge.succeeded');
    const event = client.webhooks.constructEvent(req.body, req.headers['stripe-signature']!, secret, 300, undefined, nowS);
    expect(event.id).toBe('evt_3MtwBwLkdIwHu7ix0lA1g3Zf');
    expect(await stripe.verify(req, cfg, now)).toEqual({ ok: true });
  });

  it('accepts any of several v1 signatures and ignores v0', async () => {
    const valid = parseStripeSignature(request('invoice.paid').headers['stripe-signature']!).v1[0]!;
    const header = `t=${nowS},v1=${'0'.repeat(64)},v0=${'1'.repeat(64)},v1=${valid}`;
    expect(await stripe.verify(request('invoice.paid', { header }), cfg, now)).toEqual({ ok: true });
  });

  it('honours a configured tolerance', async () => {
    const tight = configOf(stripe, { secret, tolerance: '30s' });
    expect(await stripe.verify(request('payout.paid', { timestamp: nowS - 60 }), tight, now)).toEqual({ ok: false, reason: 'stale' });
    expect(await stripe.verify(request('payout.paid', { timestamp: nowS - 20 }), tight, now)).toEqual({ ok: true });
  });

  it.each([
    ['length-mismatched v1', `t=${nowS},v1=abcd`, 'mismatch'],
    ['no v1', `t=${nowS},v0=${'a'.repeat(64)}`, 'malformed'],
    ['no t', `v1=${'a'.repeat(64)}`, 'malformed'],
    ['t not a number', `t=now,v1=${'a'.repeat(64)}`, 'malformed'],
    ['v1 not hex', `t=${nowS},v1=zzzz`, 'malformed'],
    ['garbage', 'hello', 'malformed'],
  ])('%s → %s', async (_name, header, reason) => {
    expect(await stripe.verify(request('payment_intent.succeeded', { header }), cfg, now)).toEqual({ ok: false, reason });
  });

  it('a missing header is missing', async () => {
    const req = withHeaders(request('payment_intent.succeeded'), { 'stripe-signature': undefined });
    expect(await stripe.verify(req, cfg, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('a body changed after signing fails', async () => {
    const req = request('payment_intent.succeeded');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(req.body.toString())));
    expect(await stripe.verify({ ...req, body: reformatted }, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('stripe: describe', () => {
  it.each([
    ['payment_intent.succeeded', 'payment_intent:pi_3MtwBwLkdIwHu7ix28a3tqPa'],
    ['charge.succeeded', 'payment_intent:pi_3MtwBwLkdIwHu7ix28a3tqPa'],
    ['charge.failed-without-intent', 'charge:ch_1NG8Du2eZvKYlo2C9XMqbR0x'],
    ['invoice.paid', 'invoice:in_1OaB2bLkdIwHu7ixWm3rT9kq'],
    ['charge.dispute.created', 'dispute:dp_1Oc9yBLkdIwHu7ixGi3Aa9Ks'],
    ['customer.subscription.updated', 'subscription:sub_1Od0aZLkdIwHu7ixY8wq2Bh4'],
    ['checkout.session.completed', 'checkout_session:cs_test_a1b2c3d4e5'],
    ['payout.paid', 'payout:po_1Od2cbLkdIwHu7ixR2d3e4f5'],
    ['customer.created', undefined],
  ])('%s → %s', (name, key) => {
    const body = JSON.parse(fixture('stripe', name).toString());
    const facts = describeRequest(stripe, request(name), cfg);
    expect(facts).toMatchObject({ id: body.id, type: body.type, version: body.api_version, occurredAt: new Date(body.created * 1000) });
    expect(facts.correlationKey).toBe(key);
  });

  it.each([
    ['no id', '{"type":"charge.succeeded","data":{"object":{}}}'],
    ['no type', '{"id":"evt_1","data":{"object":{}}}'],
  ])('%s is a MalformedRequestError', (_name, body) => {
    expect(() => describeRequest(stripe, rawRequest(body), cfg)).toThrow(MalformedRequestError);
  });
});

describe('stripe: sign', () => {
  it('produces a header Stripe\'s own library accepts, and verify() accepts', async () => {
    const body = fixture('stripe', 'invoice.paid');
    const signed = await stripe.sign(body, cfg, { now, url: new URL('https://x/hooks/pay') });
    expect(signed.headers['stripe-signature']).toBe(client.webhooks.generateTestHeaderString({ payload: body.toString(), secret, timestamp: nowS }));
    expect(() => client.webhooks.constructEvent(signed.body, signed.headers['stripe-signature']!, secret, 300, undefined, nowS)).not.toThrow();
    expect(await stripe.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('stripe: config', () => {
  it('defaults the tolerance to 5 minutes', () => expect(configOf(stripe, { secret }).tolerance).toBe(300_000));

  it.each([
    ['missing secret', {}],
    ['unknown key', { secret, signature: 'x' }],
    ['bad tolerance', { secret, tolerance: 'soon' }],
    ['zero tolerance', { secret, tolerance: '0s' }],
  ])('rejects %s', (_name, entry) => expect(stripe.config.safeParse({ type: 'stripe', ...entry }).success).toBe(false));
});
