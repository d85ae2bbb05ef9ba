import { sign as octokitSign } from '@octokit/webhooks-methods';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jira } from '../../../src/sources/jira.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Jira admin webhooks use the WebSub format GitHub uses ("sha256=" + hex HMAC-SHA256 of the raw
// body), so octokit's signer doubles as an independent one.
const sha256 = (secret: string, body: Buffer) => octokitSign(secret, body.toString('utf8'));

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(jira, { secret: ['jr-current', 'jr-previous'] });
const body = fixture('jira', 'jira-issue_updated');
const request = (signature: string | undefined, b: Buffer = body) =>
  rawRequest(b, { 'content-type': 'application/json; charset=utf-8', 'x-atlassian-webhook-identifier': '2ee2d7f9-0f83-4bb1-a7c3-8f0d1e2c3b4a', 'x-atlassian-webhook-retry': '0', 'x-hub-signature': signature });

const [current, previous, other] = await Promise.all(['jr-current', 'jr-previous', 'other'].map((s) => sha256(s, body)));

describe('jira: verify', () => {
  it.each([
    ['valid', current, { ok: true }],
    ['previous secret (rotation)', previous, { ok: true }],
    ['wrong secret', other, { ok: false, reason: 'mismatch' }],
    ['sha1 digest', `sha256=${createHmac('sha1', 'jr-current').update(body).digest('hex')}`, { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'sha256=abcd', { ok: false, reason: 'mismatch' }],
    ['sha1= prefix', `sha1=${createHmac('sha256', 'jr-current').update(body).digest('hex')}`, { ok: false, reason: 'malformed' }],
    ['not hex', 'sha256=nothex', { ok: false, reason: 'malformed' }],
    ['missing (webhook saved without a secret)', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await jira.verify(request(signature), cfg, now)).toEqual(expected);
  });

  it('verifies the raw bytes (\\u003c escapes in the body)', async () => {
    expect(body.toString()).toContain('\\u003c');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await jira.verify(request(current, reformatted), cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('jira: describe', () => {
  it('webhook identifier, webhookEvent, the issue key as correlation key', () => {
    expect(describeRequest(jira, request('x'), cfg)).toEqual({
      id: '2ee2d7f9-0f83-4bb1-a7c3-8f0d1e2c3b4a',
      type: 'jira:issue_updated',
      correlationKey: 'issue:PAY-42',
      occurredAt: new Date(1772366390000),
    });
  });

  it('a comment shares its issue\'s key; without the identifier the body hash is the id', () => {
    const facts = describeRequest(jira, rawRequest(fixture('jira', 'comment_created')), cfg);
    expect(facts).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'comment_created', correlationKey: 'issue:PAY-42' });
  });

  it('a sprint event uses the sprint', () => {
    expect(describeRequest(jira, rawRequest('{"webhookEvent":"sprint_started","sprint":{"id":31}}'), cfg).correlationKey).toBe('sprint:31');
  });

  it.each([
    ['no webhookEvent', '{"issue":{"key":"PAY-1"}}'],
    ['not JSON', 'jira:issue_updated'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(jira, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('jira: sign', () => {
  it('sends sha256=<hex> and the identifier, which verify', async () => {
    const signed = await jira.sign(body, cfg, { now, url: new URL('https://x/hooks/jira'), deliveryId: 'id-1' });
    expect(signed.headers['x-hub-signature']).toBe(current);
    expect(await jira.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(describeRequest(jira, fromSigned(signed), cfg).id).toBe('id-1');
  });
});

describe('jira: config', () => {
  it.each([
    ['missing secret', {}],
    ['empty list', { secret: [] }],
    ['a token', { secret: 's', token: 't' }],
  ])('rejects %s', (_name, entry) => expect(jira.config.safeParse({ type: 'jira', ...entry }).success).toBe(false));
});
