import { describe, expect, it } from 'vitest';
import { findSourceType, sourceTypes } from '../../../src/sources/registry.js';
import { fixture } from './fixture.js';
import { describeRequest, fromSigned } from './raw-request.js';

const secretText = 'SUPER-SECRET-VALUE-0123456789';
const now = new Date('2026-03-01T12:00:00Z');

/** A minimal valid entry per type (carrying `secretText`) and a payload it can sign. */
const samples: Record<string, { entry: Record<string, unknown>; payload: Buffer; event?: string }> = {
  github: { entry: { secret: secretText }, payload: Buffer.from('{"zen":"Keep it logically awesome.","hook_id":1}'), event: 'ping' },
  gitlab: { entry: { secret: secretText }, payload: fixture('gitlab', 'pipeline') },
  stripe: { entry: { secret: secretText }, payload: fixture('stripe', 'charge.succeeded') },
  alertmanager: { entry: { token: secretText }, payload: fixture('alertmanager', 'firing') },
  standard: { entry: { secret: 'whsec_' + Buffer.from(secretText).toString('base64') }, payload: Buffer.from('{"type":"ping"}') },
  generic: { entry: { secret: secretText, signature: { header: 'x-signature' } }, payload: Buffer.from('{"a":1}') },
};

describe('registry', () => {
  it('lists each type once and finds it by name', () => {
    const names = sourceTypes.map((s) => s.type);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['github', 'gitlab', 'stripe', 'alertmanager', 'standard', 'generic']);
    for (const s of sourceTypes) expect(findSourceType(s.type)).toBe(s);
    expect(findSourceType('nope')).toBeUndefined();
  });
});

describe.each(sourceTypes.map((s) => [s.type, s] as const))('%s', (type, source) => {
  const sample = samples[type]!;

  it('has a sample in this table', () => expect(sample).toBeDefined());

  it('accepts its minimal config and the common keys', () => {
    expect(source.config.safeParse({ type, ...sample.entry, allow: ['10.0.0.0/8'], rateLimit: '10/s' }).success).toBe(true);
  });

  it('rejects an unknown key, another type and a missing type', () => {
    expect(source.config.safeParse({ type, ...sample.entry, unknownKey: 1 }).success).toBe(false);
    expect(source.config.safeParse({ type: 'other', ...sample.entry }).success).toBe(false);
    expect(source.config.safeParse({ ...sample.entry }).success).toBe(false);
  });

  it('never echoes a secret in config errors', () => {
    const bad = { type, ...sample.entry, unknownKey: secretText, api: { url: secretText } };
    const r = source.config.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).not.toContain(secretText);
    expect(r.error?.message).not.toContain(secretText);
  });

  it('sign() output verifies and describes', async () => {
    const cfg = source.config.parse({ type, ...sample.entry });
    const signed = await source.sign(sample.payload, cfg, { now, url: new URL(`https://x/hooks/${type}`), event: sample.event, deliveryId: 'd-1' });
    const req = fromSigned(signed);
    expect(await source.verify(req, cfg, now)).toEqual({ ok: true });
    const facts = describeRequest(source, req, cfg);
    expect(facts.id).not.toBe('');
    expect(facts.type).not.toBe('');
  });

  it('rejects the same request with its credentials removed', async () => {
    const cfg = source.config.parse({ type, ...sample.entry });
    const signed = await source.sign(sample.payload, cfg, { now, url: new URL(`https://x/hooks/${type}`), event: sample.event });
    const stripped = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => /^(content-type|user-agent|x-github-event|x-github-delivery|idempotency-key|x-gitlab-event(-uuid)?|webhook-id|webhook-timestamp)$/.test(k)));
    const result = await source.verify(fromSigned({ ...signed, headers: stripped }), cfg, now);
    expect(result).toEqual({ ok: false, reason: 'missing' });
  });

  it('keeps no credential headers', () => {
    for (const h of source.keepHeaders ?? []) expect(h).not.toMatch(/token|signature|authorization|hmac/);
  });
});
