import { randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { github, githubCorrelationKey } from '../../../src/sources/github.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { configOf, describeRequest, fromSigned, rawRequest, withHeaders } from './raw-request.js';

const secret = "It's a Secret to Everybody";
const cfg = configOf(github, { secret });
const now = new Date('2026-03-01T12:00:00Z');

async function signedRequest(event: string, payload: string, key = secret, delivery = randomUUID()) {
  return rawRequest(payload, {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': await sign(key, payload),
  });
}

/** Expected correlation, written out per event independently of the module's table. */
function expectedKey(event: string, p: any): string | undefined {
  const repo = p.repository?.full_name;
  switch (event) {
    case 'workflow_run': return `${repo}:workflow_run:${p.workflow_run.id}`;
    case 'workflow_job': return `${repo}:workflow_run:${p.workflow_job.run_id}`;
    case 'deployment_review': return `${repo}:workflow_run:${p.workflow_run.id}`;
    case 'check_suite': return `${repo}:check_suite:${p.check_suite.id}`;
    case 'check_run': return `${repo}:check_suite:${p.check_run.check_suite.id}`;
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment':
    case 'pull_request_review_thread': return `${repo}:pull_request:${p.pull_request.number}`;
    case 'issues': return `${repo}:issue:${p.issue.number}`;
    case 'issue_comment': return `${repo}:${p.issue.pull_request ? 'pull_request' : 'issue'}:${p.issue.number}`;
    case 'deployment':
    case 'deployment_status': return `${repo}:deployment:${p.deployment.id}`;
    case 'release': return `${repo}:release:${p.release.id}`;
    default: return undefined;
  }
}

const cases = (examples as unknown as { name: string; examples: unknown[] }[]).flatMap((e) =>
  e.examples.map((payload, i) => ({ event: e.name, i, payload })),
);

describe('github: every @octokit/webhooks-examples payload', () => {
  it('has a good number of examples to iterate', () => expect(cases.length).toBeGreaterThan(300));

  it.each(cases)('$event #$i verifies and describes', async ({ event, payload }) => {
    const body = JSON.stringify(payload);
    const delivery = randomUUID();
    const req = await signedRequest(event, body, secret, delivery);
    expect(await github.verify(req, cfg, now)).toEqual({ ok: true });
    const facts = describeRequest(github, req, cfg);
    expect(facts.id).toBe(delivery);
    expect(facts.type).toBe(event);
    expect(facts.correlationKey).toBe(expectedKey(event, payload));
  });
});

describe('github: correlation', () => {
  const byName = (n: string) => (examples as unknown as { name: string; examples: any[] }[]).find((e) => e.name === n)!.examples;

  it('puts a workflow run and its jobs on one key', () => {
    expect(githubCorrelationKey('workflow_run', byName('workflow_run')[0])).toBe('Codertocat/Hello-World:workflow_run:1589141559');
    expect(githubCorrelationKey('workflow_job', byName('workflow_job')[1])).toBe('Codertocat/Hello-World:workflow_run:2202229078');
  });

  it('puts check runs with their check suite', () => {
    expect(githubCorrelationKey('check_run', byName('check_run')[0])).toBe(githubCorrelationKey('check_suite', byName('check_suite')[0]));
  });

  it('files a comment on a pull request under the pull request', () => {
    const comment = { repository: { full_name: 'acme/app' }, issue: { number: 7, pull_request: { url: 'https://api.github.com/repos/acme/app/pulls/7' } } };
    expect(githubCorrelationKey('issue_comment', comment)).toBe('acme/app:pull_request:7');
    expect(githubCorrelationKey('issue_comment', { ...comment, issue: { number: 7 } })).toBe('acme/app:issue:7');
  });

  it('has no key for events that are not about one thing, or without a repository', () => {
    expect(githubCorrelationKey('push', byName('push')[0])).toBeUndefined();
    expect(githubCorrelationKey('workflow_run', { workflow_run: { id: 1 } })).toBeUndefined();
  });
});

describe('github: verification failures', () => {
  const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });

  it('accepts the second secret while rotating', async () => {
    const req = await signedRequest('ping', body, 'old secret');
    expect(await github.verify(req, configOf(github, { secret: [secret, 'old secret'] }), now)).toEqual({ ok: true });
    expect(await github.verify(req, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['wrong signature', 'sha256=' + 'ab'.repeat(32), 'mismatch'],
    ['length-mismatched signature', 'sha256=abcd', 'mismatch'],
    ['legacy sha1 value in the sha256 header', 'sha1=' + 'ab'.repeat(20), 'malformed'],
    ['garbage', 'sha256=not-hex!', 'malformed'],
    ['missing', undefined, 'missing'],
  ])('%s → %s', async (_name, header, reason) => {
    const req = withHeaders(await signedRequest('ping', body), { 'x-hub-signature-256': header });
    expect(await github.verify(req, cfg, now)).toEqual({ ok: false, reason });
  });

  it('a changed body no longer verifies', async () => {
    const req = await signedRequest('ping', body);
    expect(await github.verify({ ...req, body: Buffer.from(body + ' ') }, cfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each(['x-github-event', 'x-github-delivery'])('a missing %s is a MalformedRequestError', async (header) => {
    const req = withHeaders(await signedRequest('ping', body), { [header]: undefined });
    expect(await github.verify(req, cfg, now)).toEqual({ ok: true });
    expect(() => describeRequest(github, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('github: form-encoded deliveries', () => {
  it('verifies the form bytes and reads the JSON from the payload field', async () => {
    const json = JSON.stringify({ action: 'opened', number: 2, pull_request: { number: 2 }, repository: { full_name: 'acme/app' } });
    const form = new URLSearchParams({ payload: json }).toString();
    const req = rawRequest(form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-form',
      'x-hub-signature-256': await sign(secret, form),
    });
    expect(await github.verify(req, cfg, now)).toEqual({ ok: true });
    expect(describeRequest(github, req, cfg)).toEqual({ id: 'd-form', type: 'pull_request', correlationKey: 'acme/app:pull_request:2' });
  });

  it('a form without a payload field is a MalformedRequestError', () => {
    const req = rawRequest('x=1', { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping', 'x-github-delivery': 'd' });
    expect(() => describeRequest(github, req, cfg)).toThrow(MalformedRequestError);
  });
});

describe('github: sign', () => {
  it('produces the headers GitHub sends, and they verify', async () => {
    const body = Buffer.from(JSON.stringify({ action: 'completed' }));
    const signed = await github.sign(body, cfg, { now, url: new URL('https://x/hooks/gh'), event: 'workflow_run', deliveryId: 'd-1' });
    expect(signed.headers['x-hub-signature-256']).toBe(await sign(secret, body.toString()));
    expect(signed.headers['x-github-event']).toBe('workflow_run');
    expect(signed.headers['x-github-delivery']).toBe('d-1');
    const req = fromSigned(signed);
    expect(await github.verify(req, cfg, now)).toEqual({ ok: true });
    expect(describeRequest(github, req, cfg)).toMatchObject({ id: 'd-1', type: 'workflow_run' });
  });

  it('needs an event name', () => {
    expect(() => github.sign(Buffer.from('{}'), cfg, { now, url: new URL('https://x') })).toThrow(/event/);
  });
});

describe('github: config', () => {
  it.each([
    ['missing secret', {}],
    ['empty secret', { secret: '' }],
    ['unknown key', { secret: 's', tolerance: '5m' }],
    ['bad api url', { secret: 's', api: { url: 'not a url' } }],
  ])('rejects %s', (_name, entry) => {
    expect(github.config.safeParse({ type: 'github', ...entry }).success).toBe(false);
  });

  it('accepts the documented keys and lists one secret as a list', () => {
    const parsed = github.config.parse({ type: 'github', secret: 's', api: { url: 'https://api.github.com', token: 't' }, allow: ['10.0.0.0/8'], rateLimit: '100/s' });
    expect(parsed.secret).toEqual(['s']);
  });

  it('keeps delivery headers but no credentials', () => {
    expect(github.keepHeaders).toEqual(['x-github-event', 'x-github-delivery', 'x-github-hook-id']);
  });
});
