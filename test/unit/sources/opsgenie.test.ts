import { describe, expect, it } from 'vitest';
import { opsgenie } from '../../../src/sources/opsgenie.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/opsgenie');
const tokenCfg = configOf(opsgenie, { token: ['og-token', 'og-token-old'] });
const basicCfg = configOf(opsgenie, { basic: { username: 'opsgenie', password: 'pw' } });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const alertId = 'd1f3a2b4-5c6d-4e7f-8a9b-0c1d2e3f4a5b-1772366294101';

describe('opsgenie: verify', () => {
  it.each([
    ['token in the custom header', tokenCfg, { 'x-hookbridge-token': 'og-token' }, { ok: true }],
    ['previous token (rotation)', tokenCfg, { 'x-hookbridge-token': 'og-token-old' }, { ok: true }],
    ['wrong token', tokenCfg, { 'x-hookbridge-token': 'og' }, { ok: false, reason: 'mismatch' }],
    ['no token', tokenCfg, {}, { ok: false, reason: 'missing' }],
    ['basic', basicCfg, { authorization: basic('opsgenie', 'pw') }, { ok: true }],
    ['wrong user', basicCfg, { authorization: basic('ops', 'pw') }, { ok: false, reason: 'mismatch' }],
    ['bearer where basic is configured', basicCfg, { authorization: 'Bearer og-token' }, { ok: false, reason: 'malformed' }],
  ])('%s', async (_name, cfg, headers, expected) => {
    expect(await opsgenie.verify(rawRequest(fixture('opsgenie', 'create'), headers), cfg, now)).toEqual(expected);
  });
});

describe('opsgenie: describe', () => {
  it.each([
    ['create', 'alert.create', 'Create', '1772366294123000000'],
    ['acknowledge', 'alert.acknowledge', 'Acknowledge', '1772366412000000000'],
    ['close', 'alert.close', 'Close', '1772367001000000000'],
  ])('%s: alert id + action (+ update time) as id, action as type, the alert as correlation key', (name, type, action, updated) => {
    expect(describeRequest(opsgenie, rawRequest(fixture('opsgenie', name)), tokenCfg)).toEqual({ id: `${alertId}:${action}:${updated}`, type, correlationKey: `alert:${alertId}` });
  });

  it('two notes on one alert are two events; without updatedAt the id is alert id + action', () => {
    const note = (updatedAt?: number) => JSON.stringify({ action: 'AddNote', alert: { alertId: 'a-1', ...(updatedAt && { updatedAt }) } });
    const one = describeRequest(opsgenie, rawRequest(note(1)), tokenCfg);
    expect(one.type).toBe('alert.addnote');
    expect(describeRequest(opsgenie, rawRequest(note(2)), tokenCfg).id).not.toBe(one.id);
    expect(describeRequest(opsgenie, rawRequest(note()), tokenCfg).id).toBe('a-1:AddNote');
  });

  it.each([
    ['no action', '{"alert":{"alertId":"a"}}'],
    ['no alert id', '{"action":"Create","alert":{}}'],
    ['not JSON', 'Create'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(opsgenie, rawRequest(b), tokenCfg)).toThrow(MalformedRequestError);
  });
});

describe('opsgenie: sign', () => {
  it.each([
    ['token', tokenCfg, 'x-hookbridge-token', 'og-token'],
    ['basic', basicCfg, 'authorization', basic('opsgenie', 'pw')],
  ])('sends the configured %s, which verifies', async (_name, cfg, header, value) => {
    const signed = await opsgenie.sign(fixture('opsgenie', 'create'), cfg, { now, url });
    expect(signed.headers[header]).toBe(value);
    expect(await opsgenie.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('opsgenie: config', () => {
  it('accepts api for ack and close, and a custom token header', () => {
    const cfg = configOf(opsgenie, { token: 't', tokenHeader: 'X-OG-Token', api: { url: 'https://api.opsgenie.com', token: 'GenieKey x' } });
    expect(cfg.tokenHeader).toBe('x-og-token');
  });

  it('refuses a source with no credential, and says why', () => {
    const r = opsgenie.config.safeParse({ type: 'opsgenie' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/signs nothing: set token .* or basic/);
  });

  it.each([
    ['a secret', { secret: 's' }],
    ['tokenHeader only', { tokenHeader: 'x-a' }],
    ['empty token list', { token: [] }],
  ])('rejects %s', (_name, entry) => expect(opsgenie.config.safeParse({ type: 'opsgenie', ...entry }).success).toBe(false));
});
