import { describe, expect, it } from 'vitest';
import { duration, parseDuration, secrets } from '../../../src/sources/config-fields.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30x', '', 'm', '-1h', '1 h'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('reports a bad duration through the schema', () => {
    const r = duration.safeParse('30x');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/invalid duration "30x"/);
  });
});

describe('secrets', () => {
  it('normalises one secret or a list to a list', () => {
    expect(secrets.parse('a')).toEqual(['a']);
    expect(secrets.parse(['a', 'b'])).toEqual(['a', 'b']);
    expect(secrets.safeParse([]).success).toBe(false);
  });
});
