/**
 * A real `redis-server` on a free loopback port, without persistence, in a temp dir.
 *
 *   const redis = await startRedis();
 *   redis.url          // redis://127.0.0.1:PORT/0
 *   await redis.kill()     // SIGKILL: the server is gone at once, as in a crash
 *   await redis.restart()  // same port, empty data set
 *   await redis.stop()     // SIGTERM and remove the temp dir
 *
 * Suites guard themselves with `describe.skipIf(!redisAvailable())`: without `redis-server` a
 * local run skips them with a message, and a CI run (`CI=true`) fails instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

let available: boolean | undefined;
const live = new Set<ChildProcess>();
// A crashed or interrupted test file must not leave servers behind.
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function redisAvailable(): boolean {
  if (available !== undefined) return available;
  available = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!available) {
    if (process.env.CI === 'true') throw new Error('redis-server is not installed; Redis tests must run under CI (install redis-server)');
    console.warn('redis-server is not installed: skipping the Redis store tests (install redis-server to run them)');
  }
  return available;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    child = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    await waitForPong(port, proc);
  };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await launch();
    },
    stop: async () => {
      await end('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPong(port: number, proc: ChildProcess, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode} on port ${port}`);
    if (await pong(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const done = (ok: boolean) => (sock.destroy(), resolve(ok));
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
