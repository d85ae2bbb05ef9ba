import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { vercel } from '../../../src/sources/vercel.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Vercel's docs: hex HMAC-SHA1(secret, raw body), no prefix.
const sha1 = (secret: string, body: Buffer) => createHmac('sha1', secret).update(body).digest('hex');

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(vercel, { secret: ['vc-current', 'vc-previous'] });
const body = fixture('vercel', 'deployment.error');
const request = (signature: string | undefined, b: Buffer = body) => rawRequest(b, { 'content-type': 'application/json', 'x-vercel-signature': signature });

describe('vercel: verify', () => {
  it.each([
    ['valid', sha1('vc-current', body), { ok: true }],
    ['previous secret (rotation)', sha1('vc-previous', body), { ok: true }],
    ['upper-case hex', sha1('vc-current', body).toUpperCase(), { ok: true }],
    ['wrong secret', sha1('other', body), { ok: false, reason: 'mismatch' }],
    ['SHA-256 instead of SHA-1', createHmac('sha256', 'vc-current').update(body).digest('hex'), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'abcd', { ok: false, reason: 'mismatch' }],
    ['odd-length hex', 'abc', { ok: false, reason: 'malformed' }],
    ['not hex', 'sha1=zz', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await vercel.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('a body changed after signing fails', async () => {
    const changed = Buffer.from(body.toString().replace('production', 'preview'));
    expect(await vercel.verify(request(sha1('vc-current', body), changed), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('vercel: describe', () => {
  it('reads id, type, the deployment and createdAt', () => {
    expect(describeRequest(vercel, request('x'), cfg)).toEqual({
      id: 'Qjb4qzxhnDjCGvyfQ4TL2pu8pnGLcVu5',
      type: 'deployment.error',
      correlationKey: 'deployment:dpl_89qyp1cskzkLrVicDaZoDbjyHuDJ',
      occurredAt: new Date(1772366100000),
    });
  });

  it('a project event has no correlation key', () => {
    expect(describeRequest(vercel, rawRequest('{"id":"e1","type":"project.created","payload":{"project":{"id":"p"}}}'), cfg)).toEqual({ id: 'e1', type: 'project.created' });
  });

  it.each([
    ['no id', '{"type":"deployment.created"}'],
    ['no type', '{"id":"e1"}'],
    ['not JSON', ''],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(vercel, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('vercel: sign', () => {
  it('sends the hex SHA-1 HMAC, which verifies', async () => {
    const signed = await vercel.sign(body, cfg, { now, url: new URL('https://x/hooks/vc') });
    expect(signed.headers['x-vercel-signature']).toBe(sha1('vc-current', body));
    expect(await vercel.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('vercel: config', () => {
  it.each([
    ['missing secret', {}],
    ['unknown key', { secret: 's', tolerance: '5m' }],
    ['api (no two-way actions)', { secret: 's', api: { url: 'https://api.vercel.com' } }],
  ])('rejects %s', (_name, entry) => expect(vercel.config.safeParse({ type: 'vercel', ...entry }).success).toBe(false));
});
