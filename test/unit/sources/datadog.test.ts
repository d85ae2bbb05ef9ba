import { describe, expect, it } from 'vitest';
import { datadog, datadogPayloadTemplate } from '../../../src/sources/datadog.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/datadog');
const tokenCfg = configOf(datadog, { token: ['dd-token', 'dd-token-old'] });
const customCfg = configOf(datadog, { token: 'dd-token', tokenHeader: 'X-Datadog-Hook' });
const basicCfg = configOf(datadog, { basic: { username: 'datadog', password: 'pw' } });
// What Datadog sends for "Authentication: Basic" and a custom header (RFC 7617; header as typed).
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const body = fixture('datadog', 'triggered');

describe('datadog: verify', () => {
  it.each([
    ['token in the default header', tokenCfg, { 'x-hookbridge-token': 'dd-token' }, { ok: true }],
    ['previous token (rotation)', tokenCfg, { 'x-hookbridge-token': 'dd-token-old' }, { ok: true }],
    ['wrong token', tokenCfg, { 'x-hookbridge-token': 'dd-tokem' }, { ok: false, reason: 'mismatch' }],
    ['token as a bearer instead of the header', tokenCfg, { authorization: 'Bearer dd-token' }, { ok: false, reason: 'missing' }],
    ['no token', tokenCfg, {}, { ok: false, reason: 'missing' }],
    ['token in a configured header', customCfg, { 'x-datadog-hook': 'dd-token' }, { ok: true }],
    ['token in the default header when another is configured', customCfg, { 'x-hookbridge-token': 'dd-token' }, { ok: false, reason: 'missing' }],
    ['basic', basicCfg, { authorization: basic('datadog', 'pw') }, { ok: true }],
    ['wrong basic password', basicCfg, { authorization: basic('datadog', 'nope') }, { ok: false, reason: 'mismatch' }],
    ['basic not base64', basicCfg, { authorization: 'Basic ***' }, { ok: false, reason: 'malformed' }],
    ['no credentials (basic)', basicCfg, {}, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, cfg, headers, expected) => {
    expect(await datadog.verify(rawRequest(body, { 'content-type': 'application/json', ...headers }), cfg, now)).toEqual(expected);
  });
});

describe('datadog: describe', () => {
  it.each([
    ['triggered', '7655447891234567890'],
    ['recovered', '7655447899876543210'],
  ])('%s: $ID, $EVENT_TYPE and the alert cycle', (name, id) => {
    expect(describeRequest(datadog, rawRequest(fixture('datadog', name)), tokenCfg)).toEqual({
      id,
      type: 'query_alert_monitor',
      correlationKey: '7223984620192847162',
      occurredAt: expect.any(Date),
    });
  });

  it('falls back to the transition for the type and to the aggregation key for correlation', () => {
    const b = JSON.stringify({ id: '1', event_type: '', alert_transition: 'Triggered', alert_cycle_key: '', aggreg_key: 'agg-1' });
    expect(describeRequest(datadog, rawRequest(b), tokenCfg)).toEqual({ id: '1', type: 'Triggered', correlationKey: 'agg-1' });
  });

  it.each([
    ['no id (template not pasted)', '{"event_type":"query_alert_monitor"}'],
    ['no event_type and no transition', '{"id":"1"}'],
    ['not JSON', 'id=1'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => describeRequest(datadog, rawRequest(b), tokenCfg)).toThrow(MalformedRequestError);
  });

  it('the documented payload template, filled in, is what describe reads', () => {
    const filled = datadogPayloadTemplate.replace(/\$([A-Z_]+)/g, (_m, name: string) => (name === 'DATE' ? '1772366280000' : `v-${name.toLowerCase()}`));
    expect(describeRequest(datadog, rawRequest(filled), tokenCfg)).toEqual({ id: 'v-id', type: 'v-event_type', correlationKey: 'v-alert_cycle_key', occurredAt: new Date(1772366280000) });
    for (const v of ['$ID', '$EVENT_TYPE', '$ALERT_TRANSITION', '$ALERT_CYCLE_KEY', '$PRIORITY', '$TAGS', '$LINK', '$EVENT_TITLE', '$EVENT_MSG', '$HOSTNAME']) expect(datadogPayloadTemplate).toContain(`"${v}"`);
  });
});

describe('datadog: sign', () => {
  it.each([
    ['token', tokenCfg, 'x-hookbridge-token', 'dd-token'],
    ['token in a configured header', customCfg, 'x-datadog-hook', 'dd-token'],
    ['basic', basicCfg, 'authorization', basic('datadog', 'pw')],
  ])('sends the configured %s, which verifies', async (_name, cfg, header, value) => {
    const signed = await datadog.sign(body, cfg, { now, url });
    expect(signed.headers[header]).toBe(value);
    expect(await datadog.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('datadog: config', () => {
  it('defaults the token header, accepts api, shows the payload template in `hookbridge sources`', () => {
    expect(tokenCfg.tokenHeader).toBe('x-hookbridge-token');
    expect(datadog.config.safeParse({ type: 'datadog', token: 't', api: { url: 'https://api.datadoghq.com', token: 'k' } }).success).toBe(true);
    expect(datadog.summary).toContain('"alert_cycle_key": "$ALERT_CYCLE_KEY"');
  });

  it('refuses a source with no credential, and says why', () => {
    const r = datadog.config.safeParse({ type: 'datadog' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/signs nothing: set token .* or basic/);
  });

  it.each([
    ['a secret (Datadog signs nothing)', { secret: 's' }],
    ['empty token', { token: '' }],
    ['empty token header', { token: 't', tokenHeader: '' }],
    ['basic without password', { basic: { username: 'u' } }],
  ])('rejects %s', (_name, entry) => expect(datadog.config.safeParse({ type: 'datadog', ...entry }).success).toBe(false));
});
