import { connect } from 'node:net';
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

describe('createListener timeouts', () => {
  /** Sends `first`, then `drip` every 200 ms, until the server closes the socket; resolves with what it answered and when. */
  const dribble = (url: string, first: string, drip: string) =>
    new Promise<{ ms: number; answer: string }>((resolve) => {
      const started = Date.now();
      const socket = connect(Number(new URL(url).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('error', () => undefined);
      socket.write(first);
      const timer = setInterval(() => socket.writable && socket.write(drip), 200);
      const giveUp = setTimeout(() => socket.destroy(), 8000);
      socket.on('close', () => {
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve({ ms: Date.now() - started, answer });
      });
    });

  it('cuts off a body sent a byte at a time once the request timeout has passed, several at once', async () => {
    const sink = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    };
    const l = await createListener({ port: 0, host: '127.0.0.1' }, sink, silentLogger, { requestTimeoutMs: 1500, headersTimeoutMs: 500 });
    try {
      const [headers, body, body2] = await Promise.all([
        dribble(l.url, 'POST / HTTP/1.1\r\n', 'x-a: 1\r\n'),
        dribble(l.url, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n', 'a'),
        dribble(l.url, 'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n', '1\r\na\r\n'),
      ]);
      expect(headers.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(headers.ms).toBeLessThan(3000);
      for (const r of [body, body2]) {
        expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
        expect(r.ms).toBeLessThan(4000);
      }
    } finally {
      await l.close();
    }
  });

  it('gives headers less time than the whole request by default', async () => {
    const l = await createListener({ port: 0, host: '127.0.0.1' }, hello as never, silentLogger);
    try {
      expect(l.server.requestTimeout).toBeGreaterThan(0);
      expect(l.server.requestTimeout).toBeLessThanOrEqual(60_000);
      expect(l.server.headersTimeout).toBeLessThanOrEqual(l.server.requestTimeout);
    } finally {
      await l.close();
    }
  });
});
