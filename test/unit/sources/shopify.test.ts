import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shopify } from '../../../src/sources/shopify.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// Independent signer, as @shopify/shopify-api/test-helpers getHmac: base64 HMAC-SHA256(secret, raw body).
const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('base64');

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(shopify, { secret: ['shpss_current', 'shpss_previous'] });
const body = fixture('shopify', 'orders-create');
const headers = {
  'content-type': 'application/json',
  'x-shopify-topic': 'orders/create',
  'x-shopify-shop-domain': 'acme.myshopify.com',
  'x-shopify-api-version': '2025-01',
  'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
  'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
  'x-shopify-triggered-at': '2026-03-01T11:58:00.000Z',
};
const request = (signature: string | undefined, b: Buffer = body) => rawRequest(b, { ...headers, 'x-shopify-hmac-sha256': signature });

describe('shopify: verify', () => {
  it.each([
    ['valid', hmac('shpss_current', body), { ok: true }],
    ['previous secret (rotation)', hmac('shpss_previous', body), { ok: true }],
    ['wrong secret', hmac('other', body), { ok: false, reason: 'mismatch' }],
    ['hex instead of base64', createHmac('sha256', 'shpss_current').update(body).digest('hex'), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'YWJj', { ok: false, reason: 'mismatch' }],
    ['not base64', 'not base64!', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await shopify.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('keeps the escapes Shopify sends (\\u0026, \\/, U+2028): re-serialising breaks the signature', async () => {
    expect(body.toString()).toContain('\\u0026');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await shopify.verify(request(hmac('shpss_current', body), reserialised), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts the unprefixed headers of newer "events" webhooks', async () => {
    const req = rawRequest(body, { 'shopify-hmac-sha256': hmac('shpss_current', body), 'shopify-topic': 'orders/create', 'shopify-webhook-id': 'w-1' });
    expect(await shopify.verify(req, cfg, now)).toEqual({ ok: true });
    expect(describeRequest(shopify, req, cfg)).toMatchObject({ id: 'w-1', type: 'orders/create', correlationKey: 'order:450789469' });
  });
});

describe('shopify: describe', () => {
  it('reads topic, event id, shop, api version and trigger time from the headers', () => {
    expect(describeRequest(shopify, request('x'), cfg)).toEqual({
      id: '98880550-7158-44d4-b7cd-2c97c8a091b5',
      type: 'orders/create',
      correlationKey: 'acme.myshopify.com:order:450789469',
      occurredAt: new Date('2026-03-01T11:58:00.000Z'),
      version: '2025-01',
    });
  });

  it('falls back to X-Shopify-Webhook-Id; a refund belongs with its order', () => {
    const req = withHeaders(rawRequest(fixture('shopify', 'refunds-create'), headers), { 'x-shopify-event-id': undefined, 'x-shopify-topic': 'refunds/create' });
    expect(describeRequest(shopify, req, cfg)).toMatchObject({ id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', correlationKey: 'acme.myshopify.com:order:450789469' });
  });

  it('reads the order id from its GraphQL id, which keeps digits a JSON number loses', () => {
    const big = '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}';
    expect(describeRequest(shopify, rawRequest(big, headers), cfg).correlationKey).toBe('acme.myshopify.com:order:820982911946154508');
  });

  it.each([
    ['no topic', withHeaders(request('x'), { 'x-shopify-topic': undefined })],
    ['no event or webhook id', withHeaders(request('x'), { 'x-shopify-event-id': undefined, 'x-shopify-webhook-id': undefined })],
    ['not JSON', rawRequest('nope', headers)],
  ])('%s is a MalformedRequestError', (_name, req) => {
    expect(() => describeRequest(shopify, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('shopify: sign', () => {
  it('sends the base64 HMAC and the topic, which verify', async () => {
    const signed = await shopify.sign(body, cfg, { now, url: new URL('https://x/hooks/shop'), event: 'orders/paid', deliveryId: 'e-1' });
    expect(signed.headers['x-shopify-hmac-sha256']).toBe(hmac('shpss_current', body));
    expect(signed.headers['x-shopify-topic']).toBe('orders/paid');
    expect(await shopify.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(describeRequest(shopify, fromSigned(signed), cfg)).toMatchObject({ id: 'e-1', type: 'orders/paid' });
  });
});

describe('shopify: config', () => {
  it.each([
    ['missing secret', {}],
    ['unknown key', { secret: 's', shop: 'acme' }],
  ])('rejects %s', (_name, entry) => expect(shopify.config.safeParse({ type: 'shopify', ...entry }).success).toBe(false));
});
