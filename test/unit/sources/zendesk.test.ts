import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { zendesk } from '../../../src/sources/zendesk.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Zendesk's "Verifying webhook authenticity": base64 HMAC-SHA256 of
// timestamp + body, concatenated with no separator.
const sign = (secret: string, ts: string, body: Buffer) => createHmac('sha256', secret).update(ts + body.toString('utf8')).digest('base64');

const now = new Date('2026-03-01T12:00:00Z');
const iso = (offsetS: number) => new Date(now.getTime() + offsetS * 1000).toISOString().replace(/\.000Z$/, 'Z');
const cfg = configOf(zendesk, { secret: ['zd-current', 'zd-previous'] });
const body = fixture('zendesk', 'ticket.status_changed');
const request = (ts: string | undefined, signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, {
    'content-type': 'application/json',
    'x-zendesk-webhook-id': '01GZ8M4DQ5S1WPKZ4W5KXK4E3A',
    'x-zendesk-webhook-invocation-id': '8350205582',
    'x-zendesk-webhook-signature-timestamp': ts,
    'x-zendesk-webhook-signature': signature,
  });

describe('zendesk: verify', () => {
  it('the fixture holds what breaks naive handling: U+2028, \\u003c and non-ASCII', () => {
    const text = body.toString('utf8');
    expect(text).toContain('\\u003c');
    expect(text).toContain('\\u2028');
    expect(text).toContain('reçu');
  });

  it.each([
    ['valid', iso(0), sign('zd-current', iso(0), body), { ok: true }],
    ['previous secret (rotation)', iso(0), sign('zd-previous', iso(0), body), { ok: true }],
    ['4m59s old', iso(-299), sign('zd-current', iso(-299), body), { ok: true }],
    ['stale (6 minutes old)', iso(-360), sign('zd-current', iso(-360), body), { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', iso(360), sign('zd-current', iso(360), body), { ok: false, reason: 'future' }],
    ['with a separator (not what Zendesk signs)', iso(0), createHmac('sha256', 'zd-current').update(`${iso(0)}.${body.toString()}`).digest('base64'), { ok: false, reason: 'mismatch' }],
    ['hex instead of base64', iso(0), createHmac('sha256', 'zd-current').update(iso(0) + body.toString()).digest('hex'), { ok: false, reason: 'mismatch' }],
    ['timestamp changed after signing', iso(-1), sign('zd-current', iso(0), body), { ok: false, reason: 'mismatch' }],
    ['wrong secret', iso(0), sign('other', iso(0), body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', iso(0), 'AAAA', { ok: false, reason: 'mismatch' }],
    ['not base64', iso(0), '!!!!', { ok: false, reason: 'malformed' }],
    ['Unix timestamp instead of ISO 8601', String(now.getTime() / 1000), sign('zd-current', String(now.getTime() / 1000), body), { ok: false, reason: 'malformed' }],
    ['no timestamp', undefined, sign('zd-current', iso(0), body), { ok: false, reason: 'missing' }],
    ['no signature', iso(0), undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, ts, signature, expected) => {
    expect(await zendesk.verify(request(ts, signature), cfg, now)).toEqual(expected);
  });

  it('honours a configured tolerance', async () => {
    const tight = configOf(zendesk, { secret: 'zd-current', tolerance: '30s' });
    expect(await zendesk.verify(request(iso(-60), sign('zd-current', iso(-60), body)), tight, now)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('zendesk: describe', () => {
  it('event subscription: invocation id, type without the zen:event-type: namespace, the ticket from the subject', () => {
    expect(describeRequest(zendesk, request(iso(0), 'x'), cfg)).toEqual({
      id: '8350205582',
      type: 'ticket.status_changed',
      correlationKey: 'ticket:5158',
      occurredAt: new Date('2026-03-01T11:59:58.672Z'),
      version: '2022-11-06',
    });
  });

  it('trigger webhook with a custom body: type ticket, the ticket from ticket.id, body hash without an invocation id', () => {
    const facts = describeRequest(zendesk, rawRequest(fixture('zendesk', 'trigger')), cfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'ticket', correlationKey: 'ticket:5160' });
  });

  it('a non-ticket event has no ticket key; the detail id stands in for a missing subject', () => {
    const user = { type: 'zen:event-type:user.created', subject: 'zen:user:42', detail: { id: '42' } };
    expect(describeRequest(zendesk, rawRequest(JSON.stringify(user)), cfg)).toMatchObject({ type: 'user.created' });
    expect(describeRequest(zendesk, rawRequest(JSON.stringify(user)), cfg).correlationKey).toBeUndefined();
    const ticket = { type: 'zen:event-type:ticket.priority_changed', detail: { id: '7' } };
    expect(describeRequest(zendesk, rawRequest(JSON.stringify(ticket)), cfg).correlationKey).toBe('ticket:7');
  });

  it('a body that is not JSON is a MalformedRequestError', () => {
    expect(() => describeRequest(zendesk, rawRequest('<ticket/>'), cfg)).toThrow(MalformedRequestError);
  });
});

describe('zendesk: sign', () => {
  it('signs ISO timestamp + body as Zendesk does, and it verifies', async () => {
    const signed = await zendesk.sign(body, cfg, { now, url: new URL('https://x/hooks/zd'), deliveryId: 'inv-1' });
    expect(signed.headers['x-zendesk-webhook-signature-timestamp']).toBe('2026-03-01T12:00:00Z');
    expect(signed.headers['x-zendesk-webhook-signature']).toBe(sign('zd-current', '2026-03-01T12:00:00Z', body));
    expect(await zendesk.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(describeRequest(zendesk, fromSigned(signed), cfg).id).toBe('inv-1');
  });
});

describe('zendesk: config', () => {
  it('defaults the tolerance to 5 minutes', () => expect(cfg.tolerance).toBe(300_000));

  it.each([
    ['missing secret', {}],
    ['zero tolerance', { secret: 's', tolerance: 0 }],
    ['bad tolerance', { secret: 's', tolerance: 'soon' }],
    ['a token', { token: 't' }],
    ['api (no two-way actions)', { secret: 's', api: { url: 'https://acme.zendesk.com' } }],
  ])('rejects %s', (_name, entry) => expect(zendesk.config.safeParse({ type: 'zendesk', ...entry }).success).toBe(false));
});
