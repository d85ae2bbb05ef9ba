import { describe, expect, it } from 'vitest';
import { azureDevops, azureDevopsCorrelationKey } from '../../../src/sources/azure-devops.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(azureDevops, { basic: { username: 'ado', password: 'hook-pw' } });
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const build = (authorization?: string) => rawRequest(fixture('azure-devops', 'build.complete'), { 'content-type': 'application/json; charset=utf-8', authorization });

describe('azure-devops: verify', () => {
  it.each([
    ['basic', basic('ado', 'hook-pw'), { ok: true }],
    ['wrong password', basic('ado', 'hook-pw2'), { ok: false, reason: 'mismatch' }],
    ['no colon', `Basic ${Buffer.from('adohook-pw').toString('base64')}`, { ok: false, reason: 'malformed' }],
    ['bearer', 'Bearer hook-pw', { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, authorization, expected) => {
    expect(await azureDevops.verify(build(authorization), cfg, now)).toEqual(expected);
  });
});

describe('azure-devops: describe', () => {
  it('build.complete: notification id, eventType, the build within its project', () => {
    expect(describeRequest(azureDevops, build(), cfg)).toEqual({
      id: '4a5d99d6-1c75-4e53-91b9-ee80057d4ce3',
      type: 'build.complete',
      correlationKey: '4ef9a5c2-6fb3-4c3d-8f2a-1a2b3c4d5e6f:build:3',
      occurredAt: new Date('2026-03-01T11:56:41.125Z'),
      version: '2.0',
    });
  });

  it('a pull request is correlated by pullRequestId', () => {
    const facts = describeRequest(azureDevops, rawRequest(fixture('azure-devops', 'git.pullrequest.created')), cfg);
    expect(facts).toMatchObject({ type: 'git.pullrequest.created', correlationKey: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c:pullrequest:1' });
  });

  it.each([
    ['workitem.updated', { resource: { id: 5, workItemId: 42 } }, 'workitem:42'],
    ['ms.vss-pipelines.run-state-changed-event', { resource: { run: { id: 77 } } }, 'run:77'],
    ['ms.vss-release.deployment-completed-event', { resource: { deployment: { release: { id: 9 } } } }, 'release:9'],
    ['git.push', { resource: { pushId: 1 } }, undefined],
    ['tfvc.checkin', { resource: { id: 'cs1' } }, 'tfvc:cs1'],
  ])('%s → %s', (eventType, payload, key) => {
    expect(azureDevopsCorrelationKey(eventType, payload)).toBe(key);
  });

  it.each([
    ['no id', '{"eventType":"build.complete"}'],
    ['no eventType', '{"id":"x"}'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(azureDevops, rawRequest(b), cfg)).toThrow(MalformedRequestError);
  });
});

describe('azure-devops: sign', () => {
  it('sends the basic credentials, which verify', async () => {
    const signed = await azureDevops.sign(fixture('azure-devops', 'build.complete'), cfg, { now, url: new URL('https://x/hooks/ado') });
    expect(signed.headers.authorization).toBe(basic('ado', 'hook-pw'));
    expect(await azureDevops.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('azure-devops: config', () => {
  it.each([
    ['no basic (Azure DevOps signs nothing)', {}],
    ['a token instead', { token: 't' }],
    ['basic without username', { basic: { password: 'p' } }],
    ['api (no two-way actions)', { basic: { username: 'u', password: 'p' }, api: { url: 'https://dev.azure.com' } }],
  ])('rejects %s', (_name, entry) => expect(azureDevops.config.safeParse({ type: 'azure-devops', ...entry }).success).toBe(false));
});
