import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createPaypal, paypalCertHosts } from '../../../src/sources/paypal.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import type { FetchText } from '../../../src/sources/verify/certificate-cache.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// A key and self-signed certificate made with openssl for these tests only (valid 2026-11-25 .. 2126).
const certPem = readFileSync(new URL('../../fixtures/sources/paypal/test-only-cert.pem', import.meta.url), 'utf8');
const key = createPrivateKey(readFileSync(new URL('../../fixtures/sources/paypal/test-only-key.pem', import.meta.url)));
const certUrl = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-test';

const now = new Date('2027-01-01T00:00:00Z');
const webhookId = '8PT597110X687430LKGECATA';
const body = fixture('paypal', 'payment.capture.completed');

/** A local stand-in for PayPal's certificate endpoint that records what was asked of it. */
function fakeFetch(pem = certPem): FetchText & { calls: string[] } {
  const calls: string[] = [];
  const fetchCert = async (url: URL) => {
    calls.push(url.href);
    return url.href === certUrl ? { ok: true, text: async () => pem } : { ok: false, text: async () => 'not found' };
  };
  return Object.assign(fetchCert, { calls });
}

// Independent signer from PayPal's docs: SHA256withRSA over "id|time|webhookId|crc32(body)", base64.
// The CRC comes from zlib here, the module has its own table.
function paypalHeaders(o: { id?: string; time?: string; webhook?: string; signWith?: typeof key; url?: string; b?: Buffer } = {}) {
  const id = o.id ?? 'b2384410-f8d2-11ee-8f3b-1b7a3b6cf2a4';
  const time = o.time ?? '2026-12-31T23:59:58Z';
  const signed = `${id}|${time}|${o.webhook ?? webhookId}|${zlibCrc32(o.b ?? body)}`;
  return {
    'content-type': 'application/json',
    'paypal-transmission-id': id,
    'paypal-transmission-time': time,
    'paypal-transmission-sig': sign('sha256', Buffer.from(signed), o.signWith ?? key).toString('base64'),
    'paypal-cert-url': o.url ?? certUrl,
    'paypal-auth-algo': 'SHA256withRSA',
  };
}

const cfg = configOf(createPaypal(), { webhookId });

describe('paypal: verify', () => {
  it('accepts a request signed by the key of the certificate at an allowed host, fetching it once', async () => {
    const f = fakeFetch();
    const paypal = createPaypal({ fetchCert: f });
    expect(await paypal.verify(rawRequest(body, paypalHeaders()), cfg, now)).toEqual({ ok: true });
    expect(await paypal.verify(rawRequest(body, paypalHeaders({ id: 'another-transmission' })), cfg, now)).toEqual({ ok: true });
    expect(f.calls).toEqual([certUrl]);
  });

  it.each([
    ['cert URL on another host', { url: 'https://evil.example.com/v1/notifications/certs/CERT-1' }],
    ['cert URL on a look-alike host', { url: 'https://api.sandbox.paypal.com.evil.example/certs/CERT-1' }],
    ['cert URL over http', { url: 'http://api.sandbox.paypal.com/v1/notifications/certs/CERT-1' }],
    ['cert URL with credentials', { url: 'https://user:pw@api.sandbox.paypal.com/v1/notifications/certs/CERT-1' }],
    ['cert URL not a URL', { url: 'api.sandbox.paypal.com/certs' }],
  ])('%s is refused (401) without fetching', async (_name, o) => {
    const f = fakeFetch();
    const paypal = createPaypal({ fetchCert: f });
    expect(await paypal.verify(rawRequest(body, paypalHeaders(o)), cfg, now)).toEqual({ ok: false, reason: 'unauthorized' });
    expect(f.calls).toEqual([]);
  });

  it('a certificate that cannot be fetched or parsed is unauthorized, and is fetched again next time', async () => {
    const f = fakeFetch('not a certificate');
    const paypal = createPaypal({ fetchCert: f });
    expect(await paypal.verify(rawRequest(body, paypalHeaders()), cfg, now)).toEqual({ ok: false, reason: 'unauthorized' });
    expect(await paypal.verify(rawRequest(body, paypalHeaders()), cfg, now)).toEqual({ ok: false, reason: 'unauthorized' });
    expect(f.calls).toHaveLength(2);
    const down = createPaypal({ fetchCert: async () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(await down.verify(rawRequest(body, paypalHeaders()), cfg, now)).toEqual({ ok: false, reason: 'unauthorized' });
  });

  it.each([
    ['before the certificate is valid', new Date('2026-01-01T00:00:00Z')],
    ['after the certificate expired', new Date('2127-01-01T00:00:00Z')],
  ])('%s is unauthorized', async (_name, at) => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    expect(await paypal.verify(rawRequest(body, paypalHeaders()), cfg, at)).toEqual({ ok: false, reason: 'unauthorized' });
  });

  it('an allowed host can be configured, wildcards included', async () => {
    const other = 'https://certs.internal.example/v1/CERT-1';
    const f: FetchText = async (url) => ({ ok: url.href === other, text: async () => certPem });
    const paypal = createPaypal({ fetchCert: f });
    const own = configOf(paypal, { webhookId, certHosts: ['*.internal.example'] });
    expect(await paypal.verify(rawRequest(body, paypalHeaders({ url: other })), own, now)).toEqual({ ok: true });
    expect(await paypal.verify(rawRequest(body, paypalHeaders()), own, now)).toEqual({ ok: false, reason: 'unauthorized' });
  });

  it.each([
    ['another key', () => paypalHeaders({ signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }), 'mismatch'],
    ['another webhook id', () => paypalHeaders({ webhook: 'OTHERWEBHOOK' }), 'mismatch'],
    ['another body', () => paypalHeaders({ b: Buffer.from('{}') }), 'mismatch'],
    ['a truncated signature', () => ({ ...paypalHeaders(), 'paypal-transmission-sig': 'c2hvcnQ=' }), 'mismatch'],
    ['a signature that is not base64', () => ({ ...paypalHeaders(), 'paypal-transmission-sig': '***' }), 'malformed'],
    ['another algorithm', () => ({ ...paypalHeaders(), 'paypal-auth-algo': 'SHA1withRSA' }), 'malformed'],
    ['no signature', () => ({ ...paypalHeaders(), 'paypal-transmission-sig': undefined }), 'missing'],
    ['no transmission id', () => ({ ...paypalHeaders(), 'paypal-transmission-id': undefined }), 'missing'],
    ['no cert URL', () => ({ ...paypalHeaders(), 'paypal-cert-url': undefined }), 'missing'],
  ])('%s → %s', async (_name, headers, reason) => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    expect(await paypal.verify(rawRequest(body, headers()), cfg, now)).toEqual({ ok: false, reason });
  });

  it.each([
    ['4m59s old', '2026-12-31T23:55:01Z', { ok: true }],
    ['4m59s ahead', '2027-01-01T00:04:59Z', { ok: true }],
    ['with milliseconds and an offset', '2027-01-01T01:00:00.123+01:00', { ok: true }],
    ['stale (6 minutes old)', '2026-12-31T23:54:00Z', { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', '2027-01-01T00:06:00Z', { ok: false, reason: 'future' }],
    ['a year old (a replay after its dedupe entry expired)', '2025-12-31T23:59:58Z', { ok: false, reason: 'stale' }],
    ['not a date', 'yesterday', { ok: false, reason: 'malformed' }],
    ['a date without a time', '2026-12-31', { ok: false, reason: 'malformed' }],
  ])('transmission time %s', async (_name, time, expected) => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    expect(await paypal.verify(rawRequest(body, paypalHeaders({ time })), cfg, now)).toEqual(expected);
  });

  it('honours a configured tolerance', async () => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    const tight = configOf(paypal, { webhookId, tolerance: '30s' });
    expect(await paypal.verify(rawRequest(body, paypalHeaders({ time: '2026-12-31T23:59:00Z' })), tight, now)).toEqual({ ok: false, reason: 'stale' });
    expect(await paypal.verify(rawRequest(body, paypalHeaders({ time: '2026-12-31T23:59:40Z' })), tight, now)).toEqual({ ok: true });
  });

  it('a stale time under a signature that does not verify is a mismatch', async () => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    const headers = paypalHeaders({ time: '2025-01-01T00:00:00Z', webhook: 'OTHERWEBHOOK' });
    expect(await paypal.verify(rawRequest(body, headers), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('the time is signed: changing it after signing fails', async () => {
    const paypal = createPaypal({ fetchCert: fakeFetch() });
    const req = withHeaders(rawRequest(body, paypalHeaders()), { 'paypal-transmission-time': '2026-12-31T23:59:59Z' });
    expect(await paypal.verify(req, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('paypal: describe', () => {
  it('reads id, event_type, the resource and its time', () => {
    expect(describeRequest(createPaypal(), rawRequest(body), cfg)).toEqual({
      id: 'WH-58D329510W468432D-8HN650336L201105X',
      type: 'PAYMENT.CAPTURE.COMPLETED',
      correlationKey: 'capture:42311647XV020574X',
      occurredAt: new Date('2026-03-01T11:58:20.926Z'),
      version: '2.0',
    });
  });

  it.each([
    ['no id', '{"event_type":"PAYMENT.CAPTURE.COMPLETED"}'],
    ['no event_type', '{"id":"WH-1"}'],
    ['not JSON', '{'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(createPaypal(), rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('paypal: sign', () => {
  it('with a test signer, sends the headers PayPal sends, which verify', async () => {
    const paypal = createPaypal({ fetchCert: fakeFetch(), signer: { key, certUrl } });
    const signed = await paypal.sign(body, cfg, { now, url: new URL('https://x/hooks/pp'), deliveryId: 't-1' });
    expect(signed.headers).toMatchObject({ 'paypal-transmission-id': 't-1', 'paypal-cert-url': certUrl, 'paypal-auth-algo': 'SHA256withRSA' });
    expect(await paypal.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });

  it("without one, says why it cannot sign as PayPal (and names no key)", () => {
    expect(() => createPaypal().sign(body, cfg, { now, url: new URL('https://x/hooks/pp') })).toThrow(/PayPal's own key/);
  });
});

describe('paypal: config', () => {
  it("defaults certHosts to PayPal's hosts", () => expect(cfg.certHosts).toEqual(paypalCertHosts));

  it.each([
    ['no webhookId', {}],
    ['empty certHosts', { webhookId, certHosts: [] }],
    ['a URL in certHosts', { webhookId, certHosts: ['https://api.paypal.com/'] }],
    ['a secret (PayPal signs with a certificate)', { webhookId, secret: 's' }],
  ])('rejects %s', (_name, entry) => expect(createPaypal().config.safeParse({ type: 'paypal', ...entry }).success).toBe(false));
});
