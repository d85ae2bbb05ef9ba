import { describe, expect, it } from 'vitest';
import { jenkins } from '../../../src/sources/jenkins.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/jenkins');
const tokenCfg = configOf(jenkins, { token: ['jk-token', 'jk-token-old'] });
const basicCfg = configOf(jenkins, { basic: { username: 'jenkins', password: 'pw' } });
// Independent of the module: what a client builds from https://jenkins:pw@host/... (RFC 7617).
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const completed = (authorization?: string) => rawRequest(fixture('jenkins', 'completed'), { 'content-type': 'application/json;charset=UTF-8', authorization });

describe('jenkins: verify', () => {
  it.each([
    ['bearer token', tokenCfg, 'Bearer jk-token', { ok: true }],
    ['previous token (rotation)', tokenCfg, 'Bearer jk-token-old', { ok: true }],
    ['wrong token', tokenCfg, 'Bearer nope', { ok: false, reason: 'mismatch' }],
    ['no credentials (token)', tokenCfg, undefined, { ok: false, reason: 'missing' }],
    ['basic where a token is configured', tokenCfg, basic('jenkins', 'pw'), { ok: false, reason: 'malformed' }],
    ['basic', basicCfg, basic('jenkins', 'pw'), { ok: true }],
    ['wrong password', basicCfg, basic('jenkins', 'pW'), { ok: false, reason: 'mismatch' }],
    ['wrong user', basicCfg, basic('jenkin', 'pw'), { ok: false, reason: 'mismatch' }],
    ['basic not base64', basicCfg, 'Basic %%%', { ok: false, reason: 'malformed' }],
    ['no credentials (basic)', basicCfg, undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, cfg, authorization, expected) => {
    expect(await jenkins.verify(completed(authorization), cfg, now)).toEqual(expected);
  });
});

describe('jenkins: describe', () => {
  it.each([
    ['completed', 'webhook-service#88:COMPLETED', 'build.completed'],
    ['started', 'webhook-service#88:STARTED', 'build.started'],
  ])('%s: id from name, number and phase; the build as correlation key', (name, id, type) => {
    expect(describeRequest(jenkins, rawRequest(fixture('jenkins', name)), tokenCfg)).toEqual({ id, type, correlationKey: 'webhook-service#88' });
  });

  it.each([
    ['no name', { build: { number: 1, phase: 'STARTED' } }],
    ['no build number', { name: 'a', build: { phase: 'STARTED' } }],
    ['no phase', { name: 'a', build: { number: 1 } }],
    ['unknown phase', { name: 'a', build: { number: 1, phase: 'EXPLODED' } }],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(jenkins, rawRequest(JSON.stringify(b)), tokenCfg)).toThrow(MalformedRequestError);
  });
});

describe('jenkins: sign', () => {
  it.each([
    ['token', tokenCfg, 'Bearer jk-token'],
    ['basic', basicCfg, basic('jenkins', 'pw')],
  ])('sends the configured %s credentials, which verify', async (_name, cfg, authorization) => {
    const signed = await jenkins.sign(fixture('jenkins', 'completed'), cfg, { now, url });
    expect(signed.headers.authorization).toBe(authorization);
    expect(await jenkins.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('jenkins: config', () => {
  it('accepts api for the rebuild action', () => {
    expect(jenkins.config.safeParse({ type: 'jenkins', token: 't', api: { url: 'https://jenkins.example.com', token: 'x' } }).success).toBe(true);
  });

  it.each([
    ['no credentials', {}],
    ['a secret (Jenkins signs nothing)', { secret: 's' }],
    ['basic without password', { basic: { username: 'u' } }],
  ])('rejects %s', (_name, entry) => expect(jenkins.config.safeParse({ type: 'jenkins', ...entry }).success).toBe(false));
});
