import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pagerduty } from '../../../src/sources/pagerduty.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from PagerDuty's v3 docs: "v1=" + hex HMAC-SHA256(secret, raw body), one entry
// per active secret, joined with commas.
const v1 = (secret: string, body: Buffer | string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(pagerduty, { secret: ['pd-current', 'pd-previous'] });
const body = fixture('pagerduty', 'incident.triggered');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'x-webhook-id': 'wh-1', 'x-pagerduty-signature': signature });

describe('pagerduty: verify', () => {
  it.each([
    ['valid', v1('pd-current', body), { ok: true }],
    ['previous secret (rotation on our side)', v1('pd-previous', body), { ok: true }],
    ['one of two entries (rotation on PagerDuty\'s side)', `${v1('pd-new-unknown', body)},${v1('pd-current', body)}`, { ok: true }],
    ['first of two entries', `${v1('pd-current', body)},${v1('pd-new-unknown', body)}`, { ok: true }],
    ['an unknown version next to v1', `v2=${'a'.repeat(64)},${v1('pd-current', body)}`, { ok: true }],
    ['wrong secret', v1('other', body), { ok: false, reason: 'mismatch' }],
    ['two wrong entries', `${v1('x', body)},${v1('y', body)}`, { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'v1=abcd', { ok: false, reason: 'mismatch' }],
    ['only an unknown version', `v9=${'a'.repeat(64)}`, { ok: false, reason: 'mismatch' }],
    ['not hex', 'v1=zz', { ok: false, reason: 'malformed' }],
    ['no version prefix', createHmac('sha256', 'pd-current').update(body).digest('hex'), { ok: false, reason: 'malformed' }],
    ['blank', ' ', { ok: false, reason: 'missing' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await pagerduty.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('fails on a re-serialised body (non-ASCII title)', async () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(await pagerduty.verify(request(v1('pd-current', body), reformatted), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('pagerduty: describe', () => {
  it.each([
    ['incident.triggered', '01DEN3WYMQ3QVN5J2D9QZ0B5YB'],
    ['incident.acknowledged', '01DEN4B7N6VQX2G8K4ZP1S3T9H'],
    ['incident.resolved', '01DEN4R2C1KJ7WQ0M5XV8B6N4D'],
  ])('%s: event id and type; every event of the incident shares its key', (type, id) => {
    expect(describeRequest(pagerduty, rawRequest(fixture('pagerduty', type)), cfg)).toEqual({ id, type, correlationKey: 'incident:Q1ZKP3XQ2BYLW8', occurredAt: expect.any(Date) });
  });

  it('a note points at its incident through data.incident', () => {
    const note = { event: { id: 'e-2', event_type: 'incident.annotated', data: { id: 'PNOTE1', type: 'incident_note', incident: { id: 'Q1ZKP3XQ2BYLW8', type: 'incident_reference' }, content: 'Rolling back' } } };
    expect(describeRequest(pagerduty, rawRequest(JSON.stringify(note)), cfg)).toEqual({ id: 'e-2', type: 'incident.annotated', correlationKey: 'incident:Q1ZKP3XQ2BYLW8' });
  });

  it('a service event uses the service; the ping has no correlation key', () => {
    const service = { event: { id: 'e-3', event_type: 'service.updated', data: { id: 'PF9KMXH', type: 'service' } } };
    expect(describeRequest(pagerduty, rawRequest(JSON.stringify(service)), cfg).correlationKey).toBe('service:PF9KMXH');
    expect(describeRequest(pagerduty, rawRequest('{"event":{"id":"p-1","event_type":"pagey.ping","data":null}}'), cfg)).toEqual({ id: 'p-1', type: 'pagey.ping' });
  });

  it.each([
    ['no event', '{"messages":[]}'],
    ['no event id', '{"event":{"event_type":"incident.triggered"}}'],
    ['no event type', '{"event":{"id":"x"}}'],
    ['not JSON', 'v1'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(pagerduty, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('pagerduty: sign', () => {
  it('signs with every configured secret, as PagerDuty does while one rotates', async () => {
    const signed = await pagerduty.sign(body, cfg, { now, url: new URL('https://x/hooks/pd') });
    expect(signed.headers['x-pagerduty-signature']).toBe(`${v1('pd-current', body)},${v1('pd-previous', body)}`);
    expect(await pagerduty.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(await pagerduty.verify(fromSigned(signed), configOf(pagerduty, { secret: 'pd-previous' }), now)).toEqual({ ok: true });
  });
});

describe('pagerduty: config', () => {
  it('accepts api for ack and resolve', () => {
    expect(pagerduty.config.safeParse({ type: 'pagerduty', secret: 's', api: { url: 'https://api.pagerduty.com', token: 'u+x' } }).success).toBe(true);
  });

  it.each([
    ['missing secret', {}],
    ['empty secret', { secret: '' }],
    ['empty list', { secret: [] }],
    ['a token (PagerDuty signs)', { token: 't' }],
    ['bad api url', { secret: 's', api: { url: 'nope' } }],
  ])('rejects %s', (_name, entry) => expect(pagerduty.config.safeParse({ type: 'pagerduty', ...entry }).success).toBe(false));
});
