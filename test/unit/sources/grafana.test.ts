import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grafana } from '../../../src/sources/grafana.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

// Independent signer from Grafana's webhook notifier docs: lowercase hex HMAC-SHA256 of the body,
// or of "<unix seconds>:<body>" when a timestamp header is configured.
const sign = (secret: string, body: Buffer, ts?: number) =>
  createHmac('sha256', secret).update(ts === undefined ? '' : `${ts}:`).update(body).digest('hex');

const now = new Date('2026-03-01T12:00:00Z');
const nowS = now.getTime() / 1000;
const url = new URL('https://hooks.example.com/hooks/grafana');
const body = fixture('grafana', 'firing');
const bodyCfg = configOf(grafana, { secret: ['gf-current', 'gf-previous'] });
const tsCfg = configOf(grafana, { secret: 'gf-current', timestampHeader: 'X-Grafana-Alerting-Timestamp' });
const customCfg = configOf(grafana, { secret: 'gf-current', signatureHeader: 'X-Sig' });
const tokenCfg = configOf(grafana, { token: ['gf-token', 'gf-token-old'] });
const basicCfg = configOf(grafana, { basic: { username: 'grafana', password: 'pw' } });
const bothCfg = configOf(grafana, { secret: 'gf-current', token: 'gf-token' });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

const req = (headers: Record<string, string | undefined>, b: Buffer = body) => rawRequest(b, { 'content-type': 'application/json', ...headers });

describe('grafana: verify (HMAC of the body)', () => {
  it.each([
    ['valid', sign('gf-current', body), { ok: true }],
    ['previous secret (rotation)', sign('gf-previous', body), { ok: true }],
    ['upper-case hex', sign('gf-current', body).toUpperCase(), { ok: true }],
    ['wrong secret', sign('other', body), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', 'abcd', { ok: false, reason: 'mismatch' }],
    ['not hex', 'z'.repeat(64), { ok: false, reason: 'malformed' }],
    ['sha256= prefix (not what Grafana sends)', `sha256=${sign('gf-current', body)}`, { ok: false, reason: 'malformed' }],
    ['missing', undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, signature, expected) => {
    expect(await grafana.verify(req({ 'x-grafana-alerting-signature': signature }), bodyCfg, now)).toEqual(expected);
  });

  it('reads the configured signature header', async () => {
    expect(await grafana.verify(req({ 'x-sig': sign('gf-current', body) }), customCfg, now)).toEqual({ ok: true });
    expect(await grafana.verify(req({ 'x-grafana-alerting-signature': sign('gf-current', body) }), customCfg, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('fails on a re-serialised body', async () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(await grafana.verify(req({ 'x-grafana-alerting-signature': sign('gf-current', body) }, reformatted), bodyCfg, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('grafana: verify (HMAC of "ts:body")', () => {
  const tsReq = (ts: number | string | undefined, signature: string | undefined) =>
    req({ 'x-grafana-alerting-timestamp': ts === undefined ? undefined : String(ts), 'x-grafana-alerting-signature': signature });

  it.each([
    ['valid', nowS, sign('gf-current', body, nowS), { ok: true }],
    ['4m59s old', nowS - 299, sign('gf-current', body, nowS - 299), { ok: true }],
    ['stale (6 minutes old)', nowS - 360, sign('gf-current', body, nowS - 360), { ok: false, reason: 'stale' }],
    ['future (6 minutes ahead)', nowS + 360, sign('gf-current', body, nowS + 360), { ok: false, reason: 'future' }],
    ['signed without the timestamp', nowS, sign('gf-current', body), { ok: false, reason: 'mismatch' }],
    ['timestamp changed after signing', nowS - 1, sign('gf-current', body, nowS), { ok: false, reason: 'mismatch' }],
    ['timestamp not a number', 'soon', sign('gf-current', body, nowS), { ok: false, reason: 'malformed' }],
    ['no timestamp', undefined, sign('gf-current', body, nowS), { ok: false, reason: 'missing' }],
    ['no signature', nowS, undefined, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, ts, signature, expected) => {
    expect(await grafana.verify(tsReq(ts, signature), tsCfg, now)).toEqual(expected);
  });

  it('honours a configured tolerance', async () => {
    const tight = configOf(grafana, { secret: 'gf-current', timestampHeader: 'X-Grafana-Alerting-Timestamp', tolerance: '30s' });
    expect(await grafana.verify(tsReq(nowS - 60, sign('gf-current', body, nowS - 60)), tight, now)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('grafana: verify (Authorization header)', () => {
  it.each([
    ['bearer token', tokenCfg, 'Bearer gf-token', { ok: true }],
    ['previous token (rotation)', tokenCfg, 'Bearer gf-token-old', { ok: true }],
    ['wrong token', tokenCfg, 'Bearer nope', { ok: false, reason: 'mismatch' }],
    ['no credentials', tokenCfg, undefined, { ok: false, reason: 'missing' }],
    ['basic', basicCfg, basic('grafana', 'pw'), { ok: true }],
    ['wrong password', basicCfg, basic('grafana', 'pW'), { ok: false, reason: 'mismatch' }],
    ['bearer where basic is configured', basicCfg, 'Bearer gf-token', { ok: false, reason: 'malformed' }],
  ])('%s', async (_name, cfg, authorization, expected) => {
    expect(await grafana.verify(req({ authorization }), cfg, now)).toEqual(expected);
  });

  it('with both a secret and a token, needs both', async () => {
    const signature = sign('gf-current', body);
    expect(await grafana.verify(req({ 'x-grafana-alerting-signature': signature, authorization: 'Bearer gf-token' }), bothCfg, now)).toEqual({ ok: true });
    expect(await grafana.verify(req({ 'x-grafana-alerting-signature': signature }), bothCfg, now)).toEqual({ ok: false, reason: 'missing' });
    expect(await grafana.verify(req({ authorization: 'Bearer gf-token' }), bothCfg, now)).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('grafana: describe', () => {
  const facts = (b: Buffer | string) => describeRequest(grafana, rawRequest(b), bodyCfg);
  const groupKey = '{}/{__grafana_autogenerated__="true"}/{__grafana_receiver__="hookbridge"}:{alertname="HighLatency", grafana_folder="Checkout"}';

  it('reads status as the type, groupKey as the correlation key and the payload version', () => {
    expect(facts(body)).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'firing', correlationKey: groupKey, version: '1' });
    expect(facts(fixture('grafana', 'resolved'))).toMatchObject({ type: 'resolved', correlationKey: groupKey });
  });

  it('gives a repeat the same id and a change of alerts or status a new one', () => {
    const parsed = JSON.parse(body.toString());
    expect(facts(JSON.stringify({ ...parsed, alerts: [...parsed.alerts].reverse() })).id).toBe(facts(body).id);
    expect(facts(JSON.stringify({ ...parsed, alerts: parsed.alerts.slice(1) })).id).not.toBe(facts(body).id);
    expect(facts(fixture('grafana', 'resolved')).id).not.toBe(facts(body).id);
  });

  it.each([
    ['no status', { groupKey: 'g', alerts: [] }],
    ['Grafana state instead of status', { state: 'alerting', groupKey: 'g', alerts: [] }],
    ['no groupKey', { status: 'firing', alerts: [] }],
    ['a null alert', { status: 'firing', groupKey: 'g', alerts: [null] }],
    ['not JSON', '{"status":'],
  ])('%s is a MalformedRequestError', (_name, b) => {
    expect(() => facts(typeof b === 'string' ? b : JSON.stringify(b))).toThrow(MalformedRequestError);
  });
});

describe('grafana: sign', () => {
  it('signs the body, or "ts:body" with the timestamp header, as Grafana does', async () => {
    const plain = await grafana.sign(body, bodyCfg, { now, url });
    expect(plain.headers['x-grafana-alerting-signature']).toBe(sign('gf-current', body));
    const stamped = await grafana.sign(body, tsCfg, { now, url });
    expect(stamped.headers['x-grafana-alerting-timestamp']).toBe(String(nowS));
    expect(stamped.headers['x-grafana-alerting-signature']).toBe(sign('gf-current', body, nowS));
    for (const [signed, cfg] of [[plain, bodyCfg], [stamped, tsCfg]] as const) expect(await grafana.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });

  it.each([
    ['token', tokenCfg, 'Bearer gf-token'],
    ['basic', basicCfg, basic('grafana', 'pw')],
  ])('sends the configured %s', async (_name, cfg, authorization) => {
    const signed = await grafana.sign(body, cfg, { now, url });
    expect(signed.headers.authorization).toBe(authorization);
    expect(await grafana.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('grafana: config', () => {
  it('defaults the signature header and tolerance, accepts api for silences', () => {
    expect(bodyCfg.signatureHeader).toBe('x-grafana-alerting-signature');
    expect(bodyCfg.tolerance).toBe(300_000);
    expect(grafana.config.safeParse({ type: 'grafana', token: 't', api: { url: 'https://grafana.example.com', token: 'glsa_x' } }).success).toBe(true);
  });

  it('refuses a source with no credential at all, and says why', () => {
    const r = grafana.config.safeParse({ type: 'grafana' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/needs secret .* token .* or basic/);
  });

  it.each([
    ['timestampHeader without secret', { token: 't', timestampHeader: 'X-Ts' }],
    ['empty secret', { secret: '' }],
    ['zero tolerance', { secret: 's', tolerance: '0s' }],
    ['unknown key', { secret: 's', algorithm: 'sha1' }],
    ['basic without password', { basic: { username: 'u' } }],
  ])('rejects %s', (_name, entry) => expect(grafana.config.safeParse({ type: 'grafana', ...entry }).success).toBe(false));
});
