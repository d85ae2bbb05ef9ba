import { describe, expect, it } from 'vitest';
import { freshdesk } from '../../../src/sources/freshdesk.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { fixture } from './fixture.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const now = new Date('2026-03-01T12:00:00Z');
const url = new URL('https://hooks.example.com/hooks/freshdesk');
const tokenCfg = configOf(freshdesk, { token: ['fd-token', 'fd-token-old'] });
const basicCfg = configOf(freshdesk, { basic: { username: 'freshdesk', password: 'pw' } });
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const body = fixture('freshdesk', 'ticket');

describe('freshdesk: verify', () => {
  it.each([
    ['token in the custom header', tokenCfg, { 'x-hookbridge-token': 'fd-token' }, { ok: true }],
    ['previous token (rotation)', tokenCfg, { 'x-hookbridge-token': 'fd-token-old' }, { ok: true }],
    ['wrong token', tokenCfg, { 'x-hookbridge-token': 'fd-token ' + 'x' }, { ok: false, reason: 'mismatch' }],
    ['no token', tokenCfg, {}, { ok: false, reason: 'missing' }],
    ['basic', basicCfg, { authorization: basic('freshdesk', 'pw') }, { ok: true }],
    ['wrong password', basicCfg, { authorization: basic('freshdesk', 'p') }, { ok: false, reason: 'mismatch' }],
    ['no credentials (basic)', basicCfg, {}, { ok: false, reason: 'missing' }],
  ])('%s', async (_name, cfg, headers, expected) => {
    expect(await freshdesk.verify(rawRequest(body, headers), cfg, now)).toEqual(expected);
  });
});

describe('freshdesk: describe', () => {
  it('body hash as id, the configured default type, the ticket as correlation key', () => {
    const facts = describeRequest(freshdesk, rawRequest(body), tokenCfg);
    expect(facts).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'ticket', correlationKey: 'ticket:1234' });
    expect(describeRequest(freshdesk, rawRequest(body), tokenCfg).id).toBe(facts.id);
    expect(describeRequest(freshdesk, rawRequest(body), configOf(freshdesk, { token: 't', defaultType: 'ticket.updated' })).type).toBe('ticket.updated');
  });

  it('the triggered event wins over the default; custom bodies may carry the ticket at the top', () => {
    const b = JSON.stringify({ freshdesk_webhook: { ticket_id: 9, triggered_event: 'ticket_update' } });
    expect(describeRequest(freshdesk, rawRequest(b), tokenCfg)).toMatchObject({ type: 'ticket_update', correlationKey: 'ticket:9' });
    expect(describeRequest(freshdesk, rawRequest('{"ticket":{"id":10}}'), tokenCfg).correlationKey).toBe('ticket:10');
    expect(describeRequest(freshdesk, rawRequest('{"note":"x"}'), tokenCfg).correlationKey).toBeUndefined();
  });

  it('a body that is not JSON is a MalformedRequestError', () => {
    expect(() => describeRequest(freshdesk, rawRequest('ticket_id=1'), tokenCfg)).toThrow(MalformedRequestError);
  });
});

describe('freshdesk: sign', () => {
  it.each([
    ['token', tokenCfg, 'x-hookbridge-token', 'fd-token'],
    ['basic', basicCfg, 'authorization', basic('freshdesk', 'pw')],
  ])('sends the configured %s, which verifies', async (_name, cfg, header, value) => {
    const signed = await freshdesk.sign(body, cfg, { now, url });
    expect(signed.headers[header]).toBe(value);
    expect(await freshdesk.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('freshdesk: config', () => {
  it('refuses a source with no credential, and says why', () => {
    const r = freshdesk.config.safeParse({ type: 'freshdesk' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/signs nothing: set token .* or basic/);
  });

  it.each([
    ['empty defaultType', { token: 't', defaultType: '' }],
    ['a secret', { secret: 's' }],
    ['basic with an extra key', { basic: { username: 'u', password: 'p', x: 1 } }],
  ])('rejects %s', (_name, entry) => expect(freshdesk.config.safeParse({ type: 'freshdesk', ...entry }).success).toBe(false));
});
