import { describe, expect, it } from 'vitest';
import { signHmac, type HmacScheme } from '../../../../src/sources/verify/hmac.js';
import { checkTimestamp, parseTimestamp, templateParts, verifyTimestamped } from '../../../../src/sources/verify/timestamped.js';

const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };
const body = Buffer.from('{"ok":true}');
const now = new Date('2026-03-01T12:00:00Z');
const nowS = now.getTime() / 1000;
const signed = (ts: string) => [Buffer.from(`${ts}.`), body];

function input(ts: string | undefined, over: Partial<Parameters<typeof verifyTimestamped>[0]> = {}) {
  const signatures = ts === undefined ? [] : [signHmac(scheme, 'k', signed(ts))];
  return { scheme, keys: ['k'], timestamp: ts, signatures, signed, now, toleranceMs: 300_000, ...over };
}

describe('verifyTimestamped', () => {
  it.each([
    ['now', nowS, { ok: true }],
    ['at the edge in the past', nowS - 300, { ok: true }],
    ['at the edge in the future', nowS + 300, { ok: true }],
    ['one second too old', nowS - 301, { ok: false, reason: 'stale' }],
    ['a day old', nowS - 86_400, { ok: false, reason: 'stale' }],
    ['one second too far ahead', nowS + 301, { ok: false, reason: 'future' }],
    ['an hour ahead', nowS + 3600, { ok: false, reason: 'future' }],
  ])('%s', (_name, ts, expected) => {
    expect(verifyTimestamped(input(String(ts)))).toEqual(expected);
  });

  it('the timestamp is signed: a fresh timestamp with an old signature fails', () => {
    const old = String(nowS - 3600);
    const replay = { ...input(old), timestamp: String(nowS) };
    expect(verifyTimestamped(replay)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('checks the signature before the window, so a forged stale request is a mismatch', () => {
    const forged = { ...input(String(nowS - 3600)), keys: ['other'] };
    expect(verifyTimestamped(forged)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['blank timestamp', { timestamp: ' ' }, 'missing'],
    ['no signatures', { signatures: [] }, 'missing'],
    ['timestamp not a number', { timestamp: 'yesterday' }, 'malformed'],
    ['negative timestamp', { timestamp: '-5' }, 'malformed'],
    ['fractional timestamp', { timestamp: '1.5' }, 'malformed'],
  ])('%s → %s', (_name, over, reason) => {
    expect(verifyTimestamped({ ...input(String(nowS)), ...over })).toEqual({ ok: false, reason });
  });

  it('accepts millisecond timestamps when told so', () => {
    const ms = String(now.getTime() - 1000);
    expect(verifyTimestamped({ ...input(ms), unit: 'ms' })).toEqual({ ok: true });
    expect(verifyTimestamped({ ...input(ms), unit: 's' })).toEqual({ ok: false, reason: 'future' });
  });
});

describe('checkTimestamp', () => {
  it('is symmetric around now', () => {
    expect(checkTimestamp(now.getTime() - 10_001, now, 10_000)).toEqual({ ok: false, reason: 'stale' });
    expect(checkTimestamp(now.getTime() + 10_001, now, 10_000)).toEqual({ ok: false, reason: 'future' });
    expect(checkTimestamp(now.getTime(), now, 0)).toEqual({ ok: true });
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['1614265330', 's', 1_614_265_330_000],
    [' 1614265330 ', 's', 1_614_265_330_000],
    ['1614265330123', 'ms', 1_614_265_330_123],
    ['1e9', 's', undefined],
    ['', 's', undefined],
    ['0x10', 's', undefined],
  ] as const)('%j (%s) → %s', (text, unit, expected) => expect(parseTimestamp(text, unit)).toBe(expected));
});

describe('templateParts', () => {
  const join = (parts: Uint8Array[]) => Buffer.concat(parts).toString();
  it.each([
    ['{ts}.{body}', '42.BODY'],
    ['{ts}:{body}', '42:BODY'],
    ['{ts}{body}', '42BODY'],
    ['v0:{ts}:{body}', 'v0:42:BODY'],
    ['{body}|{ts}', 'BODY|42'],
  ])('%s', (template, expected) => {
    expect(join(templateParts(template, { ts: '42' }, Buffer.from('BODY')))).toBe(expected);
  });

  it('keeps the body bytes as they are', () => {
    const raw = Buffer.from([0xff, 0x00, 0xfe]);
    const parts = templateParts('{ts}.{body}', { ts: '1' }, raw);
    expect(parts[1]).toBe(raw);
  });
});
