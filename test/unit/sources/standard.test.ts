import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standard } from '../../../src/sources/standard.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const previous = 'whsec_' + Buffer.from('an older secret of 24 bytes!').toString('base64');
const cfg = configOf(standard, { secret: [secret, previous] });
const now = new Date('2026-03-01T12:00:00Z');
const body = '{"type":"invoice.paid","timestamp":"2026-03-01T12:00:00Z","data":{"note":"crème — \\u003c\\/ \u2028"}}';

function request(o: { key?: string; at?: Date; id?: string; brand?: 'webhook' | 'svix'; payload?: string } = {}) {
  const id = o.id ?? 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const at = o.at ?? now;
  const payload = o.payload ?? body;
  const signature = new Webhook(o.key ?? secret).sign(id, at, payload);
  const b = o.brand ?? 'webhook';
  return rawRequest(payload, { 'content-type': 'application/json', [`${b}-id`]: id, [`${b}-timestamp`]: String(Math.floor(at.getTime() / 1000)), [`${b}-signature`]: signature });
}

describe('standard: verify (signed with standardwebhooks Webhook#sign)', () => {
  it.each([
    ['valid', {}, { ok: true }],
    ['svix-* headers', { brand: 'svix' as const }, { ok: true }],
    ['second secret (rotation)', { key: previous }, { ok: true }],
    ['wrong secret', { key: 'whsec_' + Buffer.from('x'.repeat(24)).toString('base64') }, { ok: false, reason: 'mismatch' }],
    ['stale (6 minutes old)', { at: new Date(now.getTime() - 360_000) }, { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', { at: new Date(now.getTime() + 360_000) }, { ok: false, reason: 'future' }],
    ['4 minutes old', { at: new Date(now.getTime() - 240_000) }, { ok: true }],
  ])('%s', async (_name, o, expected) => {
    expect(await standard.verify(request(o), cfg, now)).toEqual(expected);
  });

  it('matches the published test vector', async () => {
    const req = rawRequest('{"test": 2432232314}', {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    expect(await standard.verify(req, cfg, new Date(1_614_265_330_000))).toEqual({ ok: true });
  });

  it('the id is signed: another webhook-id fails', async () => {
    const req = withHeaders(request(), { 'webhook-id': 'msg_other' });
    expect(await standard.verify(req, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts any entry of a space-separated list, ignoring v1a entries', async () => {
    const good = request().headers['webhook-signature']!;
    const list = `v1a,${'A'.repeat(86)}== v1,${'B'.repeat(43)}= ${good}`;
    expect(await standard.verify(withHeaders(request(), { 'webhook-signature': list }), cfg, now)).toEqual({ ok: true });
  });

  it.each([
    ['wrong signature', 'v1,' + Buffer.alloc(32, 1).toString('base64'), 'mismatch'],
    ['length-mismatched signature', 'v1,AAAA', 'mismatch'],
    ['only asymmetric entries', 'v1a,' + Buffer.alloc(64).toString('base64'), 'mismatch'],
    ['no version', Buffer.alloc(32).toString('base64'), 'malformed'],
    ['v1 with non-base64', 'v1,***', 'malformed'],
  ])('%s → %s', async (_name, header, reason) => {
    expect(await standard.verify(withHeaders(request(), { 'webhook-signature': header }), cfg, now)).toEqual({ ok: false, reason });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('a missing %s is missing', async (header) => {
    expect(await standard.verify(withHeaders(request(), { [header]: undefined }), cfg, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('a malformed timestamp is malformed', async () => {
    expect(await standard.verify(withHeaders(request(), { 'webhook-timestamp': '2026-03-01' }), cfg, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('standard: describe', () => {
  it('takes the id from webhook-id (or svix-id) and the type from the body', () => {
    expect(describeRequest(standard, request(), cfg)).toEqual({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', type: 'invoice.paid' });
    expect(describeRequest(standard, request({ brand: 'svix', id: 'msg_svix' }), cfg)).toEqual({ id: 'msg_svix', type: 'invoice.paid' });
  });

  it('calls an event without a type "webhook"', () => {
    expect(describeRequest(standard, request({ payload: '{"id":"p1","status":"succeeded"}' }), cfg).type).toBe('webhook');
  });
});

describe('standard: sign', () => {
  it('produces headers the standardwebhooks library verifies, and verify() accepts', async () => {
    const signed = await standard.sign(Buffer.from(body), cfg, { now, url: new URL('https://x/hooks/s'), deliveryId: 'msg_1' });
    expect(signed.headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', now, body));
    expect(await standard.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    // The library checks against the real clock, so sign a second request for now.
    const live = await standard.sign(Buffer.from(body), cfg, { now: new Date(), url: new URL('https://x/hooks/s') });
    expect(new Webhook(secret).verify(live.body, live.headers)).toEqual(JSON.parse(body));
  });
});

describe('standard: config', () => {
  it.each([
    ['missing secret', {}],
    ['secret that is not base64', { secret: 'whsec_not base64!' }],
    ['unknown key', { secret, token: 't' }],
    ['negative tolerance', { secret, tolerance: '-5m' }],
  ])('rejects %s', (_name, entry) => expect(standard.config.safeParse({ type: 'standard', ...entry }).success).toBe(false));

  it('defaults the tolerance to 5 minutes', () => expect(configOf(standard, { secret }).tolerance).toBe(300_000));
});
