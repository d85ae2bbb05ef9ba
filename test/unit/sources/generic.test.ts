import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyHash } from '../../../src/sources/body-hash.js';
import { generic } from '../../../src/sources/generic.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const nowS = String(now.getTime() / 1000);
const url = new URL('https://hooks.example.com/hooks/custom');
// Bytes a re-serialiser would change: escaped slash, \u003c, a raw U+2028, and a byte that is not UTF-8.
const body = Buffer.concat([Buffer.from('{"type":"job.failed","data":{"id":"j-42","run":"r-7","s":"a\\/b \\u003c \u2028 '), Buffer.from([0xff]), Buffer.from('"}}')]);
const mac = (alg: string, key: string, data: Buffer | string, enc: 'hex' | 'base64' = 'hex') => createHmac(alg, key).update(data).digest(enc);

const hmacCfg = configOf(generic, {
  secret: ['k-new', 'k-old'],
  signature: { header: 'X-Signature', prefix: 'sha256=' },
  id: { path: 'data.id' },
  event: { path: 'type' },
  correlation: { path: 'data.run' },
});

describe('generic: HMAC over the body', () => {
  it.each([
    ['valid', { 'x-signature': 'sha256=' + mac('sha256', 'k-new', body) }, { ok: true }],
    ['second secret (rotation)', { 'x-signature': 'sha256=' + mac('sha256', 'k-old', body) }, { ok: true }],
    ['wrong secret', { 'x-signature': 'sha256=' + mac('sha256', 'nope', body) }, { ok: false, reason: 'mismatch' }],
    ['signed over the decoded text', { 'x-signature': 'sha256=' + mac('sha256', 'k-new', body.toString('utf8')) }, { ok: false, reason: 'mismatch' }],
    ['length-mismatched', { 'x-signature': 'sha256=abcdef' }, { ok: false, reason: 'mismatch' }],
    ['missing prefix', { 'x-signature': mac('sha256', 'k-new', body) }, { ok: false, reason: 'malformed' }],
    ['missing header', {}, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, headers, expected) => {
    expect(await generic.verify(rawRequest(body, headers), hmacCfg, now)).toEqual(expected);
  });

  it.each([
    ['sha1', 'hex'],
    ['sha512', 'base64'],
  ] as const)('%s/%s', async (algorithm, encoding) => {
    const cfg = configOf(generic, { secret: 'k', signature: { header: 'x-sig', algorithm, encoding } });
    expect(await generic.verify(rawRequest(body, { 'x-sig': mac(algorithm, 'k', body, encoding) }), cfg, now)).toEqual({ ok: true });
    expect(await generic.verify(rawRequest(body, { 'x-sig': mac('sha256', 'k', body, encoding) }), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('generic: timestamped HMAC', () => {
  const cfg = configOf(generic, {
    secret: 'k',
    signature: { header: 'x-sig', encoding: 'base64', timestamp: { header: 'X-Timestamp', format: '{ts}:{body}', tolerance: '2m' } },
  });
  const at = (ts: string, key = 'k') =>
    rawRequest(body, { 'x-timestamp': ts, 'x-sig': mac('sha256', key, Buffer.concat([Buffer.from(`${ts}:`), body]), 'base64') });

  it.each([
    ['fresh', nowS, { ok: true }],
    ['stale', String(Number(nowS) - 121), { ok: false, reason: 'stale' }],
    ['future', String(Number(nowS) + 121), { ok: false, reason: 'future' }],
  ])('%s', async (_name, ts, expected) => expect(await generic.verify(at(ts), cfg, now)).toEqual(expected));

  it('uses the configured separator', async () => {
    const dot = rawRequest(body, { 'x-timestamp': nowS, 'x-sig': mac('sha256', 'k', Buffer.concat([Buffer.from(`${nowS}.`), body]), 'base64') });
    expect(await generic.verify(dot, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('a missing timestamp header is missing, a bad one malformed', async () => {
    expect(await generic.verify(withHeaders(at(nowS), { 'x-timestamp': undefined }), cfg, now)).toEqual({ ok: false, reason: 'missing' });
    expect(await generic.verify(withHeaders(at(nowS), { 'x-timestamp': 'noon' }), cfg, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('generic: token', () => {
  const bearer = configOf(generic, { token: ['t-1', 't-2'] });
  const header = configOf(generic, { token: 't-1', tokenHeader: 'X-Api-Key' });

  it.each([
    ['bearer', bearer, { authorization: 'Bearer t-2' }, { ok: true }],
    ['wrong bearer', bearer, { authorization: 'Bearer t-3' }, { ok: false, reason: 'mismatch' }],
    ['no bearer', bearer, {}, { ok: false, reason: 'missing' }],
    ['custom header', header, { 'x-api-key': 't-1' }, { ok: true }],
    ['custom header wrong', header, { 'x-api-key': 't-2' }, { ok: false, reason: 'mismatch' }],
    ['bearer where a custom header is configured', header, { authorization: 'Bearer t-1' }, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, cfg, headers, expected) => {
    expect(await generic.verify(rawRequest(body, headers), cfg, now)).toEqual(expected);
  });

  it('requires both when both a signature and a token are configured', async () => {
    const both = configOf(generic, { secret: 'k', signature: { header: 'x-sig' }, token: 't' });
    const sig = mac('sha256', 'k', body);
    expect(await generic.verify(rawRequest(body, { 'x-sig': sig, authorization: 'Bearer t' }), both, now)).toEqual({ ok: true });
    expect(await generic.verify(rawRequest(body, { 'x-sig': sig }), both, now)).toEqual({ ok: false, reason: 'missing' });
    expect(await generic.verify(rawRequest(body, { authorization: 'Bearer t' }), both, now)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('generic: describe', () => {
  it('reads id, event and correlation from the configured paths', () => {
    expect(describeRequest(generic, rawRequest(body), hmacCfg)).toEqual({ id: 'j-42', type: 'job.failed', correlationKey: 'r-7' });
  });

  it('reads id and event from headers', () => {
    const cfg = configOf(generic, { token: 't', id: { header: 'X-Event-Id' }, event: { header: 'X-Event-Type' } });
    expect(describeRequest(generic, rawRequest(body, { 'x-event-id': 'e-1', 'x-event-type': 'deploy' }), cfg)).toEqual({ id: 'e-1', type: 'deploy' });
    expect(() => describeRequest(generic, rawRequest(body, { 'x-event-type': 'deploy' }), cfg)).toThrow(MalformedRequestError);
    expect(() => describeRequest(generic, rawRequest(body, { 'x-event-id': 'e-1' }), cfg)).toThrow(MalformedRequestError);
  });

  it('falls back to the body hash and "webhook"', () => {
    const cfg = configOf(generic, { token: 't' });
    expect(describeRequest(generic, rawRequest('{"a":1}'), cfg)).toEqual({ id: bodyHash(Buffer.from('{"a":1}')), type: 'webhook' });
  });

  it('a configured path that is absent is a MalformedRequestError', () => {
    expect(() => describeRequest(generic, rawRequest('{"type":"x"}'), hmacCfg)).toThrow(MalformedRequestError);
  });
});

describe('generic: sign', () => {
  it.each([
    ['body HMAC with id and event headers', { secret: 'k', signature: { header: 'x-sig', prefix: 'sha256=' }, id: { header: 'x-id' }, event: { header: 'x-event' } }],
    ['timestamped base64 HMAC', { secret: 'k', signature: { header: 'x-sig', encoding: 'base64', timestamp: { header: 'x-ts', format: 'v0:{ts}:{body}' } } }],
    ['millisecond timestamp', { secret: 'k', signature: { header: 'x-sig', timestamp: { header: 'x-ts', unit: 'ms' } } }],
    ['bearer token', { token: 't' }],
    ['header token plus HMAC', { secret: 'k', signature: { header: 'x-sig' }, token: 't', tokenHeader: 'x-key' }],
  ])('%s verifies', async (_name, entry) => {
    const cfg = configOf(generic, entry);
    const signed = await generic.sign(body, cfg, { now, url, event: 'deploy', deliveryId: 'd-1' });
    expect(await generic.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(await generic.verify({ ...fromSigned(signed), body: Buffer.from('{}') }, cfg, now)).toEqual(
      'token' in entry && !('secret' in entry) ? { ok: true } : { ok: false, reason: 'mismatch' },
    );
  });

  it('puts the delivery id and event in the configured headers', async () => {
    const cfg = configOf(generic, { token: 't', id: { header: 'X-Id' }, event: { header: 'X-Event' } });
    const signed = await generic.sign(body, cfg, { now, url, event: 'deploy', deliveryId: 'd-1' });
    expect(describeRequest(generic, fromSigned(signed), cfg)).toEqual({ id: 'd-1', type: 'deploy' });
  });
});

describe('generic: config', () => {
  it.each([
    ['neither secret nor token', {}, /must be authenticated/],
    ['secret without signature', { secret: 's' }, /secret needs signature/],
    ['signature without secret', { signature: { header: 'x' } }, /signature needs a secret/],
    ['tokenHeader without token', { secret: 's', signature: { header: 'x' }, tokenHeader: 'x-k' }, /tokenHeader needs a token/],
    ['unknown key', { token: 't', algorithm: 'sha256' }, /algorithm/],
    ['unknown signature key', { secret: 's', signature: { header: 'x', digest: 'hex' } }, /digest/],
    ['unknown algorithm', { secret: 's', signature: { header: 'x', algorithm: 'md5' } }, /./],
    ['format without {body}', { secret: 's', signature: { header: 'x', timestamp: { header: 't', format: '{ts}' } } }, /\{body\}/],
    ['id with both header and path', { token: 't', id: { header: 'x', path: 'y' } }, /./],
  ])('rejects %s', (_name, entry, message) => {
    const r = generic.config.safeParse({ type: 'generic', ...entry });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it('fills the documented defaults', () => {
    const cfg = configOf(generic, { secret: 's', signature: { header: 'X-Sig', timestamp: { header: 'X-Ts' } } });
    expect(cfg.signature).toEqual({ header: 'x-sig', algorithm: 'sha256', encoding: 'hex', timestamp: { header: 'x-ts', unit: 's', tolerance: 300_000, format: '{ts}.{body}' } });
  });
});
