import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readRawBody } from '../../../src/server/raw-body.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves one request: `before` runs first (standing in for the awaited guards), then the body is read. */
async function readOne(before: (req: IncomingMessage) => Promise<void>, send: string): Promise<PromiseSettledResult<Buffer>> {
  const settled = new Promise<PromiseSettledResult<Buffer>>((resolve) => {
    server = createServer((req) => {
      void before(req).then(() => Promise.allSettled([readRawBody(req, 1024)]).then(([r]) => resolve(r!)));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = connect((server!.address() as AddressInfo).port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(send);
  setTimeout(() => socket.destroy(), 50);
  return Promise.race([settled, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('body read never settled')), 2000))]);
}

const closed = (req: IncomingMessage) => new Promise<void>((resolve) => req.once('close', () => setTimeout(resolve, 10)));

describe('readRawBody', () => {
  it('refuses with 400 a body the client abandoned half-way', async () => {
    const r = await readOne(async () => undefined, 'POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 10\r\n\r\n12345');
    expect(r.status).toBe('rejected');
    expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 400, code: 'body_read_error' });
  });

  it('settles when the client went away before the body was read (e.g. while a rate limit was checked in Redis)', async () => {
    const r = await readOne(closed, 'POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 10\r\n\r\n12345');
    expect(r.status).toBe('rejected');
    expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 400, code: 'body_read_error' });
  });

  it('settles when the whole body arrived but the connection closed before it was read', async () => {
    const r = await readOne(closed, 'POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 5\r\n\r\n12345');
    expect(r.status).toBe('rejected');
  });
});
