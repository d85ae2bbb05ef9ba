import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { bitbucket } from '../../../src/sources/bitbucket.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(bitbucket, { secret: ['bb-current', 'bb-previous'] });
const body = fixture('bitbucket', 'pullrequest-created');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json', 'x-event-key': 'pullrequest:created', 'x-request-uuid': 'req-1', 'x-hub-signature': signature });

describe('bitbucket: verify (signed with @octokit/webhooks-methods, the same sha256= format)', () => {
  it('matches the published test vector', async () => {
    expect(await sign("It's a Secret to Everybody", 'Hello World!')).toBe('sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9');
  });

  it.each([
    ['valid', 'bb-current', { ok: true }],
    ['previous secret (rotation)', 'bb-previous', { ok: true }],
    ['wrong secret', 'other', { ok: false, reason: 'mismatch' }],
  ])('%s', async (_name, secret, expected) => {
    expect(await bitbucket.verify(request(await sign(secret, body.toString('utf8'))), cfg, now)).toEqual(expected);
  });

  it.each([
    ['length-mismatched', 'sha256=abcd', 'mismatch'],
    ['sha1= prefix', `sha1=${'a'.repeat(40)}`, 'malformed'],
    ['not hex', 'sha256=xyz!', 'malformed'],
    ['bare digest', 'a'.repeat(64), 'malformed'],
  ])('%s → %s', async (_name, signature, reason) => {
    expect(await bitbucket.verify(request(signature), cfg, now)).toEqual({ ok: false, reason });
  });

  it('a missing header is missing; the GitHub-style -256 header is not read', async () => {
    expect(await bitbucket.verify(request(undefined), cfg, now)).toEqual({ ok: false, reason: 'missing' });
    const github = withHeaders(request(undefined), { 'x-hub-signature-256': await sign('bb-current', body.toString()) });
    expect(await bitbucket.verify(github, cfg, now)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('bitbucket: describe', () => {
  it('reads X-Event-Key, X-Request-UUID and the pull request', () => {
    expect(describeRequest(bitbucket, request('x'), cfg)).toEqual({
      id: 'req-1',
      type: 'pullrequest:created',
      correlationKey: 'acme/webhook-service:pullrequest:57',
    });
  });

  it('a build status is correlated by commit and status key; without X-Request-UUID the id is the body hash', () => {
    const req = rawRequest(fixture('bitbucket', 'repo-commit_status_updated'), { 'x-event-key': 'repo:commit_status_updated' });
    expect(describeRequest(bitbucket, req, cfg)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      type: 'repo:commit_status_updated',
      correlationKey: 'acme/webhook-service:commit_status:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678:pipeline-{4c2a6b1e-5d2a-4f7e-9b1c-6a8d0e2f3b4c}',
    });
  });

  it('a push has no correlation key', () => {
    const req = rawRequest('{"repository":{"full_name":"a/b"},"push":{"changes":[]}}', { 'x-event-key': 'repo:push' });
    expect(describeRequest(bitbucket, req, cfg).correlationKey).toBeUndefined();
  });

  it.each([
    ['no X-Event-Key', rawRequest(body, {})],
    ['not JSON', rawRequest('<xml/>', { 'x-event-key': 'repo:push' })],
  ])('%s is a MalformedRequestError', (_name, req) => {
    expect(() => describeRequest(bitbucket, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('bitbucket: sign', () => {
  it('produces the signature octokit computes, and it verifies', async () => {
    const signed = await bitbucket.sign(body, cfg, { now, url: new URL('https://x/hooks/bb'), event: 'pullrequest:created', deliveryId: 'd-1' });
    expect(signed.headers['x-hub-signature']).toBe(await sign('bb-current', body.toString('utf8')));
    expect(signed.headers['x-request-uuid']).toBe('d-1');
    expect(await bitbucket.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('bitbucket: config', () => {
  it.each([
    ['missing secret', {}],
    ['unknown key', { secret: 's', token: 't' }],
  ])('rejects %s', (_name, entry) => expect(bitbucket.config.safeParse({ type: 'bitbucket', ...entry }).success).toBe(false));
});
