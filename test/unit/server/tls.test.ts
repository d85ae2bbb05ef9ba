import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/log.js';
import { createListener } from '../../../src/server/tls.js';

const hello = (_req: unknown, res: { end: (s: string) => void }) => res.end('hello');

describe('createListener', () => {
  it('serves plain HTTP without tls and names a reachable url for a wildcard host', async () => {
    const l = await createListener({ port: 0, host: '0.0.0.0' }, hello as never, silentLogger, { requestTimeoutMs: 5000 });
    try {
      expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(l.server.requestTimeout).toBe(5000);
      expect(await (await fetch(l.url)).text()).toBe('hello');
    } finally {
      await l.close();
    }
  });

  it('refuses to start when the certificate files cannot be read', async () => {
    const tls = { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' };
    await expect(createListener({ port: 0, host: '127.0.0.1', tls }, hello as never, silentLogger)).rejects.toThrow(/ENOENT/);
  });

  it('reports a port already in use instead of hanging', async () => {
    const first = await createListener({ port: 0, host: '127.0.0.1' }, hello as never, silentLogger);
    try {
      const port = Number(new URL(first.url).port);
      await expect(createListener({ port, host: '127.0.0.1' }, hello as never, silentLogger)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
