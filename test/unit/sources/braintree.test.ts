import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { braintree } from '../../../src/sources/braintree.js';
import { parseBraintreeXml } from '../../../src/sources/braintree-xml.js';
import { MalformedRequestError } from '../../../src/sources/types.js';
import { configOf, describeRequest, fromSigned, rawRequest } from './raw-request.js';

const xml = readFileSync(new URL('../../fixtures/sources/braintree/subscription_charged_unsuccessfully.xml', import.meta.url));
const now = new Date('2026-03-01T12:00:00Z');
const cfg = configOf(braintree, { publicKey: ['pk_current', 'pk_previous'], privateKey: ['sk_current', 'sk_previous'] });

// Independent signer as braintree_node's webhook_testing_gateway + digest.js do it: the payload is
// base64 of the XML plus "\n"; the signature is publicKey|hex HMAC-SHA1 keyed with SHA1(privateKey).
const payloadOf = (x: Buffer | string) => `${Buffer.from(x).toString('base64')}\n`;
const hex = (privateKey: string, payload: string) =>
  createHmac('sha1', createHash('sha1').update(privateKey).digest()).update(payload).digest('hex');
const form = (fields: Record<string, string | undefined>) =>
  rawRequest(new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });
const notification = (o: { pub?: string; priv?: string; signature?: string; payload?: string } = {}) => {
  const payload = o.payload ?? payloadOf(xml);
  return form({ bt_signature: o.signature ?? `${o.pub ?? 'pk_current'}|${hex(o.priv ?? 'sk_current', payload)}`, bt_payload: payload });
};

describe('braintree: verify', () => {
  const payload = payloadOf(xml);
  it.each([
    ['valid', notification(), { ok: true }],
    ['previous key pair (rotation)', notification({ pub: 'pk_previous', priv: 'sk_previous' }), { ok: true }],
    ['several pairs, ours last', notification({ signature: `pk_other|${'a'.repeat(40)}&pk_current|${hex('sk_current', payload)}` }), { ok: true }],
    ['payload signed without its trailing newline', form({ bt_signature: `pk_current|${hex('sk_current', payload.trimEnd())}`, bt_payload: payload.trimEnd() }), { ok: true }],
    ['trailing newline lost in transit', form({ bt_signature: `pk_current|${hex('sk_current', payload)}`, bt_payload: payload.trimEnd() }), { ok: true }],
    ['private key of another pair', notification({ pub: 'pk_current', priv: 'sk_previous' }), { ok: false, reason: 'mismatch' }],
    ['HMAC keyed with the raw private key', notification({ signature: `pk_current|${createHmac('sha1', 'sk_current').update(payload).digest('hex')}` }), { ok: false, reason: 'mismatch' }],
    ['unknown public key', notification({ pub: 'pk_other' }), { ok: false, reason: 'mismatch' }],
    ['length-mismatched', notification({ signature: 'pk_current|abcd' }), { ok: false, reason: 'mismatch' }],
    ['signature not hex', notification({ signature: 'pk_current|xyz' }), { ok: false, reason: 'malformed' }],
    ['no pairs', notification({ signature: 'just-a-string' }), { ok: false, reason: 'malformed' }],
    ['payload with characters outside base64', notification({ payload: '<notification/>' }), { ok: false, reason: 'malformed' }],
    ['no bt_signature', form({ bt_payload: payload }), { ok: false, reason: 'missing' }],
    ['no bt_payload', form({ bt_signature: `pk_current|${hex('sk_current', payload)}` }), { ok: false, reason: 'missing' }],
    ['empty body', rawRequest('', {}), { ok: false, reason: 'missing' }],
  ])('%s', async (_name, req, expected) => {
    expect(await braintree.verify(req, cfg, now)).toEqual(expected);
  });
});

describe('braintree: describe', () => {
  it('parses the XML: id from kind, timestamp and subject id; the subscription as correlation key', () => {
    expect(describeRequest(braintree, notification(), cfg)).toEqual({
      id: 'subscription_charged_unsuccessfully:2026-03-01T11:58:30Z:sub_8kq2n',
      type: 'subscription_charged_unsuccessfully',
      correlationKey: 'subscription:sub_8kq2n',
      occurredAt: new Date('2026-03-01T11:58:30Z'),
    });
  });

  it('gives templates the notification as an object, entities decoded and dashes underscored', () => {
    const payload = braintree.parse!(notification(), cfg) as { subject: { subscription: Record<string, unknown> } };
    const sub = payload.subject.subscription;
    expect(sub).toMatchObject({ id: 'sub_8kq2n', plan_id: 'pro-monthly', status: 'Past Due', description: null });
    expect(sub['transactions']).toEqual([expect.objectContaining({ id: 'tx_5h7k', processor_response_text: 'Insufficient Funds & more <retry>' })]);
  });

  it('a check notification has no subject id', () => {
    const check = '<notification><timestamp type="datetime">2026-03-01T12:00:00Z</timestamp><kind>check</kind><subject><check type="boolean">true</check></subject></notification>';
    expect(describeRequest(braintree, notification({ payload: payloadOf(check) }), cfg)).toMatchObject({ id: 'check:2026-03-01T12:00:00Z', type: 'check' });
  });

  it.each([
    ['an entity declaration', '<!DOCTYPE n [<!ENTITY x "boom">]><notification><kind>&x;</kind><timestamp>t</timestamp></notification>'],
    ['CDATA', '<notification><kind><![CDATA[check]]></kind><timestamp>t</timestamp></notification>'],
    ['mismatched tags', '<notification><kind>check</timestamp></notification>'],
    ['unclosed element', '<notification><kind>check</kind>'],
    ['another root', '<subscription><kind>check</kind><timestamp>t</timestamp></subscription>'],
    ['no kind', '<notification><timestamp>t</timestamp></notification>'],
    ['no timestamp', '<notification><kind>check</kind></notification>'],
    ['two roots', '<notification/><notification/>'],
    ['not XML', 'hello'],
    ['deep nesting', `<notification>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</notification>`],
  ])('%s is a MalformedRequestError', (_name, text) => {
    expect(() => describeRequest(braintree, notification({ payload: payloadOf(text) }), cfg)).toThrow(MalformedRequestError);
  });

  it('decodes only the predefined entities and character references', () => {
    expect(parseBraintreeXml('<a><b>&lt;&amp;&#233;&#x41;&unknown;</b></a>').value).toEqual({ b: '<&éA&unknown;' });
  });
});

describe('braintree: sign', () => {
  it('wraps the XML as Braintree does (60-character base64 lines), and it verifies', async () => {
    const signed = await braintree.sign(xml, cfg, { now, url: new URL('https://x/hooks/bt') });
    expect(signed.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = new URLSearchParams(signed.body.toString());
    const payload = fields.get('bt_payload')!;
    expect(payload.split('\n').slice(0, -1).every((line) => line.length <= 60)).toBe(true);
    expect(payload.endsWith('\n')).toBe(true);
    expect(fields.get('bt_signature')).toBe(`pk_current|${hex('sk_current', payload)}`);
    expect(await braintree.verify(fromSigned(signed), cfg, now)).toEqual({ ok: true });
  });
});

describe('braintree: config', () => {
  it('accepts one key pair', () => expect(braintree.config.safeParse({ type: 'braintree', publicKey: 'pk', privateKey: 'sk' }).success).toBe(true));

  it.each([
    ['no privateKey', { publicKey: 'pk' }],
    ['no publicKey', { privateKey: 'sk' }],
    ['unpaired lists', { publicKey: ['a', 'b'], privateKey: 'sk' }],
    ['a secret instead', { secret: 's' }],
  ])('rejects %s', (_name, entry) => expect(braintree.config.safeParse({ type: 'braintree', ...entry }).success).toBe(false));
});
