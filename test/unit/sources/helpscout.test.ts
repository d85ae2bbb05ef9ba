import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { helpscout } from '../../../src/sources/helpscout.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// Independent signer from Help Scout's webhook docs: base64 HMAC-SHA1(secret key, raw body).
const b64 = (secret: string, body: Buffer | string) => createHmac('sha1', secret).update(body).digest('base64');

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(helpscout, { secret: ['hs-current', 'hs-previous'] });
const body = fixture('helpscout', 'convo.created');
const request = (signature: string | undefined, event: string | undefined = 'convo.created', b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'x-helpscout-event': event, 'x-helpscout-signature': signature });

describe('helpscout: verify', () => {
  it.each([
    ['valid', b64('hs-current', body), { ok: true }],
    ['previous secret (rotation)', b64('hs-previous', body), { ok: true }],
    ['wrong secret', b64('other', body), { ok: false, reason: 'mismatch' }],
    ['hex instead of base64', createHmac('sha1', 'hs-current').update(body).digest('hex'), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'AAAA', { ok: false, reason: 'mismatch' }],
    ['not base64', '%%%%', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await helpscout.verify(request(signature), cfg, now)).toEqual(expected);
  });
});

describe('helpscout: describe', () => {
  it('type from X-HelpScout-Event, body hash as id, the conversation as correlation key', () => {
    const facts = describeRequest(helpscout, request('x'), cfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'convo.created', correlationKey: 'conversation:2381920111' });
    expect(describeRequest(helpscout, request('x', 'convo.assigned'), cfg).id).not.toBe(facts.id);
  });

  it('a rating points at its conversation; a customer event has none', () => {
    const rating = request('x', 'satisfaction.ratings', Buffer.from('{"id":77,"rating":"Great","conversationId":2381920111}'));
    expect(describeRequest(helpscout, rating, cfg).correlationKey).toBe('conversation:2381920111');
    const customer = request('x', 'customer.created', Buffer.from('{"id":401928311,"firstName":"Jo"}'));
    expect(describeRequest(helpscout, customer, cfg).correlationKey).toBeUndefined();
  });

  it.each([
    ['no X-HelpScout-Event header', withHeaders(request('x'), { 'x-helpscout-event': undefined })],
    ['blank event header', request('x', ' ')],
    ['not JSON', request('x', 'convo.created', Buffer.from('id=1'))],
  ])('%s is a MalformedRequestError', (_name, req) => {
    expect(() => describeRequest(helpscout, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('helpscout: sign', () => {
  it('sends the event and a base64 signature, which verify', async () => {
    const signed = await helpscout.sign(body, cfg, { now, url: new URL('https://x/hooks/hs'), event: 'convo.assigned' });
    expect(signed.headers['x-helpscout-signature']).toBe(b64('hs-current', body));
    expect(signed.headers['x-helpscout-event']).toBe('convo.assigned');
    expect(await helpscout.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('helpscout: config', () => {
  it.each([
    ['missing secret', {}],
    ['a token', { token: 't' }],
  ])('rejects %s', (_name, entry) => expect(helpscout.config.safeParse({ type: 'helpscout', ...entry }).success).toBe(false));
});
