import { describe, expect, it } from 'vitest';
import { allowlist } from '../../../src/server/allowlist.js';
import { HttpError } from '../../../src/server/http-error.js';

const sources = {
  gh: { type: 'github', allow: ['192.30.252.0/22', '2a0a:a440::/29'] },
  closed: { type: 'generic', allow: [] },
  open: { type: 'generic' },
};

const verdict = (source: string, ip: string) => {
  try {
    allowlist(sources).check(source, ip);
    return 'allowed';
  } catch (err) {
    return err instanceof HttpError ? `${err.status} ${err.message}` : String(err);
  }
};

describe('allowlist', () => {
  it.each([
    ['gh', '192.30.252.1', 'allowed'],
    ['gh', '192.30.255.254', 'allowed'],
    ['gh', '::ffff:192.30.252.1', 'allowed'],
    ['gh', '2a0a:a440::1', 'allowed'],
    ['gh', '192.30.256.1', '403 client address not allowed'],
    ['gh', '203.0.113.7', '403 client address not allowed'],
    ['gh', '', '403 client address not allowed'],
    ['closed', '127.0.0.1', '403 client address not allowed'],
    ['open', '203.0.113.7', 'allowed'],
    ['unknown', '203.0.113.7', 'allowed'],
  ])('%s from %s: %s', (source, ip, expected) => {
    expect(verdict(source, ip)).toBe(expected);
  });

  it('refuses a bad entry when the config version is built, naming the source', () => {
    expect(() => allowlist({ gh: { type: 'github', allow: ['192.30.252.0/40'] } })).toThrow(/sources\.gh\.allow/);
  });
});
