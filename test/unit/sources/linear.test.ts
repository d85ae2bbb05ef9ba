import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linear } from '../../../src/sources/linear.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// Independent signer from Linear's webhook docs: hex HMAC-SHA256(signing secret, raw body). The
// time is the body's webhookTimestamp (ms), so a test body is stamped before it is signed.
const hex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');
const stampedAt = (b: Buffer, ms: number | string) => Buffer.from(b.toString().replace(/"webhookTimestamp":\d+/, `"webhookTimestamp":${typeof ms === 'string' ? ms : ms}`));

const now = new Date('2026-03-01T12:00:00Z');
const nowMs = now.getTime();
const cfg = configOf(linear, { secret: ['ln-current', 'ln-previous'] });
const body = fixture('linear', 'Issue.create');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72', 'linear-event': 'Issue', 'linear-signature': signature });
const at = (offsetMs: number, secret = 'ln-current') => {
  const b = stampedAt(body, nowMs + offsetMs);
  return request(hex(secret, b), b);
};

describe('linear: verify', () => {
  it('the fixture is stamped at the test clock', () => expect(body.toString()).toContain(`"webhookTimestamp":${nowMs}`));

  it.each([
    ['valid', at(0), { ok: true }],
    ['previous secret (rotation)', at(0, 'ln-previous'), { ok: true }],
    ['59 s old', at(-59_000), { ok: true }],
    ['59 s ahead', at(59_000), { ok: true }],
    ['stale (61 s old)', at(-61_000), { ok: false, reason: 'stale' }],
    ['future (61 s ahead)', at(61_000), { ok: false, reason: 'future' }],
    ['wrong secret', at(0, 'other'), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', request('abcd'), { ok: false, reason: 'mismatch' }],
    ['not hex', request('q'.repeat(64)), { ok: false, reason: 'malformed' }],
    ['missing', request(undefined), { ok: false, reason: 'missing' }],
  ])('%s', async (_name, req, expected) => {
    expect(await linear.verify(req, cfg, now)).toEqual(expected);
  });

  it('the timestamp is signed: changing it after signing is a mismatch, not a clock problem', async () => {
    const signature = hex('ln-current', stampedAt(body, nowMs - 600_000));
    expect(await linear.verify(request(signature, stampedAt(body, nowMs)), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['no webhookTimestamp', Buffer.from('{"type":"Issue","action":"create","data":{"id":"x"}}')],
    ['webhookTimestamp not a number', Buffer.from('{"type":"Issue","action":"create","webhookTimestamp":"soon"}')],
    ['signed body that is not JSON', Buffer.from('hello')],
  ])('%s (but correctly signed) is malformed', async (_name, b) => {
    expect(await linear.verify(request(hex('ln-current', b), b), cfg, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('honours a configured tolerance', async () => {
    expect(await linear.verify(at(-90_000), configOf(linear, { secret: 'ln-current', tolerance: '2m' }), now)).toEqual({ ok: true });
  });
});

describe('linear: describe', () => {
  it('Linear-Delivery, "<type>.<action>", the issue as correlation key', () => {
    expect(describeRequest(linear, request('x'), cfg)).toEqual({
      id: '234d1a4e-b617-4388-90fe-adc3633d6b72',
      type: 'Issue.create',
      correlationKey: 'issue:2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9',
      occurredAt: now,
    });
  });

  it('a comment shares its issue\'s key; a project uses its own id', () => {
    expect(describeRequest(linear, request('x', fixture('linear', 'Comment.create')), cfg)).toMatchObject({ type: 'Comment.create', correlationKey: 'issue:2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9' });
    const project = request('x', Buffer.from('{"type":"Project","action":"update","data":{"id":"p-1"},"webhookTimestamp":1}'));
    expect(describeRequest(linear, project, cfg)).toMatchObject({ type: 'Project.update', correlationKey: 'project:p-1' });
  });

  it.each([
    ['no Linear-Delivery header', withHeaders(request('x'), { 'linear-delivery': undefined })],
    ['no type', request('x', Buffer.from('{"action":"create"}'))],
    ['no action', request('x', Buffer.from('{"type":"Issue"}'))],
  ])('%s is a MalformedRequestError', (_name, req) => {
    expect(() => describeRequest(linear, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('linear: sign', () => {
  it('stamps the body with the send time, signs it, and it verifies', async () => {
    const later = new Date(nowMs + 3_600_000);
    const signed = await linear.sign(body, cfg, { now: later, url: new URL('https://x/hooks/linear'), deliveryId: 'd-9' });
    expect(signed.body.toString()).toContain(`"webhookTimestamp":${later.getTime()}`);
    expect(signed.body.toString().replace(/"webhookTimestamp":\d+/, '')).toBe(body.toString().replace(/"webhookTimestamp":\d+/, ''));
    expect(signed.headers['linear-signature']).toBe(hex('ln-current', signed.body));
    expect(signed.headers['linear-event']).toBe('Issue');
    expect(signed.headers['linear-delivery']).toBe('d-9');
    expect(await linear.verify(fromSigned(signed), cfg, later)).toEqual({ ok: true });
  });

  it('adds webhookTimestamp to a body without one', async () => {
    const signed = await linear.sign(Buffer.from('{"type":"Issue","action":"remove","data":{"id":"x"}}'), cfg, { now, url: new URL('https://x/h') });
    expect(JSON.parse(signed.body.toString()).webhookTimestamp).toBe(nowMs);
    expect(await linear.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('linear: config', () => {
  it('defaults the tolerance to Linear\'s 60 s', () => expect(cfg.tolerance).toBe(60_000));

  it.each([
    ['missing secret', {}],
    ['zero tolerance', { secret: 's', tolerance: '0s' }],
    ['unknown key', { secret: 's', mode: 'app' }],
  ])('rejects %s', (_name, entry) => expect(linear.config.safeParse({ type: 'linear', ...entry }).success).toBe(false));
});
