import { describe, expect, it } from 'vitest';
import { bodyHash } from '../../../src/sources/body-hash.js';
import { gitlab } from '../../../src/sources/gitlab.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const cfg = configOf(gitlab, { secret: ['current-token', 'previous-token'] });
const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/gl');

function request(name: string, headers: Record<string, string | undefined> = {}) {
  return rawRequest(fixture('gitlab', name), { 'content-type': 'application/json', 'x-gitlab-token': 'current-token', ...headers });
}

describe('gitlab: verify', () => {
  it.each([
    ['the current token', 'current-token', { ok: true }],
    ['the previous token (rotation)', 'previous-token', { ok: true }],
    ['a wrong token', 'nope', { ok: false, reason: 'mismatch' }],
    ['a token differing in case', 'Current-Token', { ok: false, reason: 'mismatch' }],
    ['no token', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, token, expected) => {
    expect(await gitlab.verify(request('pipeline', { 'x-gitlab-token': token }), cfg, now)).toEqual(expected);
  });
});

describe('gitlab: describe', () => {
  it.each([
    ['pipeline', 'pipeline', '1:pipeline:31'],
    ['job', 'job', '1:pipeline:31'],
    ['merge_request', 'merge_request', '1:merge_request:1'],
    ['issue', 'issue', '1:issue:23'],
    ['note-on-merge-request', 'note', '5:merge_request:1'],
    ['push', 'push', undefined],
    ['wiki_page', 'wiki_page', undefined],
  ])('%s → type %s, key %s', (name, type, key) => {
    const facts = describeRequest(gitlab, request(name, { 'idempotency-key': 'k-1' }), cfg);
    expect(facts.type).toBe(type);
    expect(facts.correlationKey).toBe(key);
  });

  it('a job and its pipeline share one key', () => {
    const job = describeRequest(gitlab, request('job'), cfg);
    const pipeline = describeRequest(gitlab, request('pipeline'), cfg);
    expect(job.correlationKey).toBe(pipeline.correlationKey);
  });

  it('takes the id from Idempotency-Key, else the body hash', () => {
    const both = { 'idempotency-key': 'idem-1', 'x-gitlab-event-uuid': 'uuid-1' };
    expect(describeRequest(gitlab, request('push', both), cfg).id).toBe('idem-1');
    const hashed = describeRequest(gitlab, request('push'), cfg).id;
    expect(hashed).toBe(bodyHash(fixture('gitlab', 'push')));
    expect(hashed).not.toBe(describeRequest(gitlab, request('pipeline'), cfg).id);
  });

  it('without Idempotency-Key (before 17.4), X-Gitlab-Event-UUID does not decide what is a duplicate', () => {
    // Webhooks fired from one request that carried the UUID share it: both events must stand.
    const push = describeRequest(gitlab, request('push', { 'x-gitlab-event-uuid': 'uuid-shared' }), cfg);
    const pipeline = describeRequest(gitlab, request('pipeline', { 'x-gitlab-event-uuid': 'uuid-shared' }), cfg);
    expect(push.id).not.toBe(pipeline.id);
    // A manual resend gets a new UUID but the same body: one event.
    const resend = describeRequest(gitlab, request('push', { 'x-gitlab-event-uuid': 'uuid-resend' }), cfg);
    expect(resend.id).toBe(push.id);
  });

  it('a body without object_kind is a MalformedRequestError', () => {
    const req = rawRequest('{"project":{"id":1}}', { 'x-gitlab-token': 'current-token' });
    expect(() => describeRequest(gitlab, req, cfg)).toThrow(MalformedRequestError);
  });

  it('a body that is not JSON is a MalformedRequestError', () => {
    expect(() => describeRequest(gitlab, rawRequest('{nope', {}), cfg)).toThrow(MalformedRequestError);
  });
});

describe('gitlab: sign', () => {
  it('sends the token, the event header GitLab uses and an Idempotency-Key', async () => {
    const signed = await gitlab.sign(fixture('gitlab', 'job'), cfg, { now, url, deliveryId: 'idem-9' });
    expect(signed.headers).toMatchObject({ 'x-gitlab-token': 'current-token', 'x-gitlab-event': 'Job Hook', 'idempotency-key': 'idem-9' });
    const req = fromSigned(signed);
    expect(await gitlab.verify(req, cfg, now)).toEqual({ ok: true });
    expect(describeRequest(gitlab, req, cfg)).toMatchObject({ id: 'idem-9', type: 'job' });
  });

  it('names merge request hooks as GitLab does', async () => {
    const signed = await gitlab.sign(fixture('gitlab', 'merge_request'), cfg, { now, url });
    expect(signed.headers['x-gitlab-event']).toBe('Merge Request Hook');
  });

  it('a token signed with another config does not verify', async () => {
    const other = configOf(gitlab, { secret: 'someone-else' });
    const req = fromSigned(await gitlab.sign(fixture('gitlab', 'push'), other, { now, url }));
    expect(await gitlab.verify(req, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('gitlab: config', () => {
  it.each([
    ['missing secret', {}],
    ['token instead of secret', { token: 't' }],
    ['unknown key', { secret: 's', signature: {} }],
  ])('rejects %s', (_name, entry) => expect(gitlab.config.safeParse({ type: 'gitlab', ...entry }).success).toBe(false));

  it('does not keep the token header', () => {
    expect(gitlab.keepHeaders).not.toContain('x-gitlab-token');
  });
});
