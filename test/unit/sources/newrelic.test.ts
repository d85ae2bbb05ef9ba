import { describe, expect, it } from 'vitest';
import { newrelic, newrelicPayloadTemplate } from '../../../src/sources/newrelic.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/newrelic');
const tokenCfg = configOf(newrelic, { token: ['nr-token', 'nr-token-old'] });
const headerCfg = configOf(newrelic, { token: 'nr-token', tokenHeader: 'X-NR-Token' });
const basicCfg = configOf(newrelic, { basic: { username: 'newrelic', password: 'pw' } });
const bothCfg = configOf(newrelic, { token: 'nr-token', basic: { username: 'newrelic', password: 'pw' } });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const issue = '8a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';

describe('newrelic: verify', () => {
  it.each([
    ['bearer token', tokenCfg, { authorization: 'Bearer nr-token' }, { ok: true }],
    ['previous token (rotation)', tokenCfg, { authorization: 'Bearer nr-token-old' }, { ok: true }],
    ['lower-case scheme', tokenCfg, { authorization: 'bearer nr-token' }, { ok: true }],
    ['wrong token', tokenCfg, { authorization: 'Bearer nr' }, { ok: false, reason: 'mismatch' }],
    ['no credentials', tokenCfg, {}, { ok: false, reason: 'missing' }],
    ['token in a custom header', headerCfg, { 'x-nr-token': 'nr-token' }, { ok: true }],
    ['bearer where a custom header is configured', headerCfg, { authorization: 'Bearer nr-token' }, { ok: false, reason: 'missing' }],
    ['basic', basicCfg, { authorization: basic('newrelic', 'pw') }, { ok: true }],
    ['wrong basic', basicCfg, { authorization: basic('newrelic', 'x') }, { ok: false, reason: 'mismatch' }],
    ['both configured, basic sent', bothCfg, { authorization: basic('newrelic', 'pw') }, { ok: true }],
    ['both configured, bearer sent', bothCfg, { authorization: 'Bearer nr-token' }, { ok: true }],
  ])('%s', async (_name, cfg, headers, expected) => {
    expect(await newrelic.verify(rawRequest(fixture('newrelic', 'activated'), headers), cfg, now)).toEqual(expected);
  });
});

describe('newrelic: describe', () => {
  it.each([
    ['activated', 'issue.activated', 1772366280000],
    ['closed', 'issue.closed', 1772367100000],
  ])('%s: template id, lower-cased event type, the issue as correlation key', (name, type, updated) => {
    const facts = describeRequest(newrelic, rawRequest(fixture('newrelic', name)), tokenCfg);
    expect(facts).toEqual({ id: `${issue}:${name.toUpperCase()}:${updated}`, type, correlationKey: `issue:${issue}`, occurredAt: new Date(updated) });
  });

  it('the documented payload template, rendered the way New Relic does, is what describe reads', () => {
    const values: Record<string, string> = { issueId: 'i-1', state: 'ACKNOWLEDGED', updatedAt: '1772366300000', createdAt: '1772366200000' };
    const rendered = newrelicPayloadTemplate
      .replace(/\{\{json ([^}]+)\}\}/g, (_m, path: string) => JSON.stringify(values[path] ?? null))
      .replace(/\{\{([^}]+)\}\}/g, (_m, path: string) => values[path] ?? '');
    expect(describeRequest(newrelic, rawRequest(rendered), tokenCfg)).toEqual({ id: 'i-1:ACKNOWLEDGED:1772366300000', type: 'issue.acknowledged', correlationKey: 'issue:i-1', occurredAt: new Date(1772366300000) });
  });

  it.each([
    ['no id', '{"event_type":"issue.ACTIVATED"}'],
    ['no event_type', '{"id":"x"}'],
    ['not JSON', '{{issueId}}'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(newrelic, rawRequest(b), tokenCfg)).toThrow(MalformedRequestError);
  });
});

describe('newrelic: sign', () => {
  it.each([
    ['bearer', tokenCfg, 'authorization', 'Bearer nr-token'],
    ['custom header', headerCfg, 'x-nr-token', 'nr-token'],
    ['basic', basicCfg, 'authorization', basic('newrelic', 'pw')],
  ])('sends the configured %s, which verifies', async (_name, cfg, header, value) => {
    const signed = await newrelic.sign(fixture('newrelic', 'activated'), cfg, { now, url });
    expect(signed.headers[header]).toBe(value);
    expect(await newrelic.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('newrelic: config', () => {
  it('refuses a source with no credential, and says why', () => {
    const r = newrelic.config.safeParse({ type: 'newrelic' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/signs nothing: set token .* or basic/);
  });

  it.each([
    ['api (no two-way actions)', { token: 't', api: { url: 'https://api.newrelic.com' } }],
    ['a secret', { secret: 's' }],
    ['empty token', { token: '' }],
  ])('rejects %s', (_name, entry) => expect(newrelic.config.safeParse({ type: 'newrelic', ...entry }).success).toBe(false));
});
