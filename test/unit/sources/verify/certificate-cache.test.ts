import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowedCertificateUrl, createCertificateCache } from '../../../../src/sources/verify/certificate-cache.js';

const pem = readFileSync(new URL('../../../fixtures/sources/paypal/test-only-cert.pem', import.meta.url), 'utf8');

describe('allowedCertificateUrl', () => {
  const hosts = ['api.paypal.com', '*.sandbox.paypal.com'];
  it.each([
    ['https://api.paypal.com/v1/certs/1', true],
    ['https://API.PAYPAL.COM/v1/certs/1', true],
    ['https://api.sandbox.paypal.com/certs/1', true],
    ['https://sandbox.paypal.com/certs/1', false],
    ['https://api.paypal.com.evil.test/certs/1', false],
    ['https://evilapi.paypal.com/certs/1', false],
    ['http://api.paypal.com/certs/1', false],
    ['https://u:p@api.paypal.com/certs/1', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => expect(allowedCertificateUrl(url, hosts) !== undefined).toBe(allowed));
});

describe('createCertificateCache', () => {
  it('downloads a certificate once and shares a pending download', async () => {
    let calls = 0;
    const cache = createCertificateCache(async () => {
      calls++;
      return { ok: true, text: async () => pem };
    });
    const url = new URL('https://api.paypal.com/c');
    const [a, b] = await Promise.all([cache.get(url), cache.get(url)]);
    expect(a?.subject).toContain('hookbridge test fixture');
    expect(b).toBe(a);
    await cache.get(url);
    expect(calls).toBe(1);
  });

  it('does not remember failures', async () => {
    let calls = 0;
    const cache = createCertificateCache(async () => ({ ok: ++calls > 1, text: async () => pem }));
    const url = new URL('https://api.paypal.com/c');
    expect(await cache.get(url)).toBeUndefined();
    expect(await cache.get(url)).toBeDefined();
  });
});
