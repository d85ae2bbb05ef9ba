import { describe, expect, it } from 'vitest';
import { alertmanager } from '../../../src/sources/alertmanager.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { basicHeader } from '../../../src/sources/verify/basic.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/alerts');
const tokenCfg = configOf(alertmanager, { token: ['am-token', 'am-token-old'] });
const basicCfg = configOf(alertmanager, { basic: { username: 'am', password: 'pw' } });
const bothCfg = configOf(alertmanager, { token: 'am-token', basic: { username: 'am', password: 'pw' } });

const firing = (authorization?: string) => rawRequest(fixture('alertmanager', 'firing'), { 'content-type': 'application/json', authorization });

describe('alertmanager: verify', () => {
  it.each([
    ['bearer token', tokenCfg, 'Bearer am-token', { ok: true }],
    ['previous bearer token', tokenCfg, 'Bearer am-token-old', { ok: true }],
    ['wrong bearer token', tokenCfg, 'Bearer nope', { ok: false, reason: 'mismatch' }],
    ['basic where a token is configured', tokenCfg, basicHeader({ username: 'am', password: 'pw' }), { ok: false, reason: 'malformed' }],
    ['no credentials (token)', tokenCfg, undefined, { ok: false, reason: 'missing' }],
    ['basic credentials', basicCfg, basicHeader({ username: 'am', password: 'pw' }), { ok: true }],
    ['wrong basic password', basicCfg, basicHeader({ username: 'am', password: 'nope' }), { ok: false, reason: 'mismatch' }],
    ['bearer where basic is configured', basicCfg, 'Bearer am-token', { ok: false, reason: 'malformed' }],
    ['no credentials (basic)', basicCfg, undefined, { ok: false, reason: 'missing' }],
    ['both configured, bearer sent', bothCfg, 'Bearer am-token', { ok: true }],
    ['both configured, basic sent', bothCfg, basicHeader({ username: 'am', password: 'pw' }), { ok: true }],
    ['both configured, wrong basic', bothCfg, basicHeader({ username: 'am', password: 'x' }), { ok: false, reason: 'mismatch' }],
  ])('%s', async (_name, cfg, authorization, expected) => {
    expect(await alertmanager.verify(firing(authorization), cfg, now)).toEqual(expected);
  });
});

describe('alertmanager: describe', () => {
  const facts = (body: Buffer | string) => describeRequest(alertmanager, rawRequest(body), tokenCfg);
  const groupKey = '{}:{alertname="HighErrorRate"}';

  it('reads status as the type, groupKey as the correlation key and the payload version', () => {
    expect(facts(fixture('alertmanager', 'firing'))).toMatchObject({ type: 'firing', correlationKey: groupKey, version: '4' });
    expect(facts(fixture('alertmanager', 'resolved'))).toMatchObject({ type: 'resolved', correlationKey: groupKey });
  });

  it('gives a repeat of the same notification the same id, whatever the alert order or formatting', () => {
    const body = JSON.parse(fixture('alertmanager', 'firing').toString());
    const reordered = { ...body, alerts: [...body.alerts].reverse() };
    expect(facts(JSON.stringify(reordered)).id).toBe(facts(fixture('alertmanager', 'firing')).id);
  });

  it('gives a new id when the status, an alert or its start changes', () => {
    const body = JSON.parse(fixture('alertmanager', 'firing').toString());
    const base = facts(JSON.stringify(body)).id;
    expect(facts(fixture('alertmanager', 'resolved')).id).not.toBe(base);
    expect(facts(JSON.stringify({ ...body, alerts: body.alerts.slice(1) })).id).not.toBe(base);
    const restarted = { ...body, alerts: [{ ...body.alerts[0], startsAt: '2026-03-01T11:58:00.000Z' }, body.alerts[1]] };
    expect(facts(JSON.stringify(restarted)).id).not.toBe(base);
    const oneResolved = { ...body, alerts: [{ ...body.alerts[0], status: 'resolved' }, body.alerts[1]] };
    expect(facts(JSON.stringify(oneResolved)).id).not.toBe(base);
    expect(facts(JSON.stringify({ ...body, groupKey: '{}:{alertname="Other"}' })).id).not.toBe(base);
  });

  it.each([
    ['no status', { groupKey: 'g', alerts: [] }],
    ['unknown status', { status: 'pending', groupKey: 'g', alerts: [] }],
    ['no groupKey', { status: 'firing', alerts: [] }],
    ['a null alert', { status: 'firing', groupKey: 'g', alerts: [null] }],
    ['an alert that is not an object', { status: 'firing', groupKey: 'g', alerts: ['HighErrorRate'] }],
  ])('%s is a MalformedRequestError', (_name, body) => {
    expect(() => facts(JSON.stringify(body))).toThrow(MalformedRequestError);
  });
});

describe('alertmanager: sign', () => {
  it.each([
    ['token', tokenCfg],
    ['basic', basicCfg],
  ])('sends the configured %s credentials, which verify', async (_name, cfg) => {
    const signed = await alertmanager.sign(fixture('alertmanager', 'firing'), cfg, { now, url });
    expect(await alertmanager.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
    expect(await alertmanager.verify(fromSigned(signed), configOf(alertmanager, { token: 'other' }), now)).not.toEqual({ ok: true });
  });
});

describe('alertmanager: config', () => {
  it('refuses a source with neither token nor basic, and says why', () => {
    const r = alertmanager.config.safeParse({ type: 'alertmanager' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/set token \(bearer\) or basic/);
  });

  it.each([
    ['unknown key', { token: 't', secret: 's' }],
    ['basic without password', { basic: { username: 'u' } }],
    ['basic with an extra key', { basic: { username: 'u', password: 'p', realm: 'r' } }],
    ['empty token', { token: '' }],
  ])('rejects %s', (_name, entry) => expect(alertmanager.config.safeParse({ type: 'alertmanager', ...entry }).success).toBe(false));
});
