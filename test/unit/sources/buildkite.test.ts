import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildkite } from '../../../src/sources/buildkite.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

// Independent signer from Buildkite's docs: signature = hex HMAC-SHA256(token, "<timestamp>.<body>").
const header = (secret: string, ts: number, body: Buffer) =>
  `timestamp=${ts},signature=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`;

const now = new Date('2026-03-01T12:00:00Z');
const nowS = now.getTime() / 1000;
const sigCfg = configOf(buildkite, { secret: ['bk-current', 'bk-previous'] });
const tokenCfg = configOf(buildkite, { token: ['bk-token', 'bk-token-old'] });
const body = fixture('buildkite', 'build.finished');
const signedRequest = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'x-buildkite-event': 'build.finished', 'x-buildkite-signature': signature });

describe('buildkite: verify (signature mode)', () => {
  it.each([
    ['valid', header('bk-current', nowS, body), { ok: true }],
    ['previous secret (rotation)', header('bk-previous', nowS, body), { ok: true }],
    ['items in the other order', header('bk-current', nowS, body).split(',').reverse().join(','), { ok: true }],
    ['4m59s old', header('bk-current', nowS - 299, body), { ok: true }],
    ['stale (6 minutes old)', header('bk-current', nowS - 360, body), { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', header('bk-current', nowS + 360, body), { ok: false, reason: 'future' }],
    ['wrong secret', header('other', nowS, body), { ok: false, reason: 'mismatch' }],
    ['timestamp changed after signing', header('bk-current', nowS, body).replace(`timestamp=${nowS}`, `timestamp=${nowS - 1}`), { ok: false, reason: 'mismatch' }],
    ['length-mismatched signature', `timestamp=${nowS},signature=abcd`, { ok: false, reason: 'mismatch' }],
    ['signature not hex', `timestamp=${nowS},signature=zz`, { ok: false, reason: 'malformed' }],
    ['no timestamp', `signature=${'a'.repeat(64)}`, { ok: false, reason: 'malformed' }],
    ['timestamp not a number', `timestamp=soon,signature=${'a'.repeat(64)}`, { ok: false, reason: 'malformed' }],
    ['garbage', 'hello', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await buildkite.verify(signedRequest(signature), sigCfg, now)).toEqual(expected);
  });

  it('a token header does not stand in for the signature', async () => {
    const req = rawRequest(body, { 'x-buildkite-token': 'bk-current' });
    expect(await buildkite.verify(req, sigCfg, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('honours a configured tolerance', async () => {
    const tight = configOf(buildkite, { secret: 'bk-current', tolerance: '30s' });
    expect(await buildkite.verify(signedRequest(header('bk-current', nowS - 60, body)), tight, now)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('buildkite: verify (token mode)', () => {
  const tokenRequest = (token: string | undefined) => rawRequest(body, { 'x-buildkite-event': 'build.finished', 'x-buildkite-token': token });
  it.each([
    ['valid', 'bk-token', { ok: true }],
    ['previous token (rotation)', 'bk-token-old', { ok: true }],
    ['wrong token', 'bk-tokem', { ok: false, reason: 'mismatch' }],
    ['longer token', 'bk-token-and-more', { ok: false, reason: 'mismatch' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, token, expected) => {
    expect(await buildkite.verify(tokenRequest(token), tokenCfg, now)).toEqual(expected);
  });
});

describe('buildkite: describe', () => {
  it('reads the type from X-Buildkite-Event, the build as correlation key, the body hash as id', () => {
    const req = signedRequest(header('bk-current', nowS, body));
    const facts = describeRequest(buildkite, req, sigCfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'build.finished', correlationKey: 'build:f62a1b4d-10f9-4790-bc1c-e2c3a0c80983' });
    expect(describeRequest(buildkite, req, sigCfg).id).toBe(facts.id);
  });

  it('a job event shares its build\'s correlation key; the body event stands in for the header', () => {
    const facts = describeRequest(buildkite, rawRequest(fixture('buildkite', 'job.finished')), sigCfg);
    expect(facts).toMatchObject({ type: 'job.finished', correlationKey: 'build:f62a1b4d-10f9-4790-bc1c-e2c3a0c80983' });
  });

  it('different bodies get different ids', () => {
    const a = describeRequest(buildkite, rawRequest(body), sigCfg).id;
    const b = describeRequest(buildkite, rawRequest(fixture('buildkite', 'job.finished')), sigCfg).id;
    expect(a).not.toBe(b);
  });

  it.each([
    ['no event anywhere', '{"build":{"id":"b"}}'],
    ['not JSON', 'nope'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(buildkite, withHeaders(rawRequest(b), {}), sigCfg)).toThrow(MalformedRequestError);
  });
});

describe('buildkite: sign', () => {
  it('signs "ts.body" in signature mode', async () => {
    const signed = await buildkite.sign(body, sigCfg, { now, url: new URL('https://x/hooks/bk') });
    expect(signed.headers['x-buildkite-signature']).toBe(header('bk-current', nowS, body));
    expect(signed.headers['x-buildkite-event']).toBe('build.finished');
    expect(await buildkite.verify(fromSigned(signed), sigCfg, now)).toEqual({ ok: true });
  });

  it('sends the token in token mode', async () => {
    const signed = await buildkite.sign(body, tokenCfg, { now, url: new URL('https://x/hooks/bk') });
    expect(signed.headers['x-buildkite-token']).toBe('bk-token');
    expect(signed.headers['x-buildkite-signature']).toBeUndefined();
    expect(await buildkite.verify(fromSigned(signed), tokenCfg, now)).toEqual({ ok: true });
  });
});

describe('buildkite: config', () => {
  it('defaults the tolerance to 5 minutes and accepts api', () => {
    expect(configOf(buildkite, { secret: 's' }).tolerance).toBe(300_000);
    expect(buildkite.config.safeParse({ type: 'buildkite', token: 't', api: { url: 'https://api.buildkite.com/v2', token: 'x' } }).success).toBe(true);
  });

  it.each([
    ['neither secret nor token', {}],
    ['both secret and token', { secret: 's', token: 't' }],
    ['zero tolerance', { secret: 's', tolerance: '0s' }],
    ['bad tolerance', { secret: 's', tolerance: 'later' }],
    ['unknown key', { secret: 's', signature: {} }],
  ])('rejects %s', (_name, entry) => expect(buildkite.config.safeParse({ type: 'buildkite', ...entry }).success).toBe(false));
});
