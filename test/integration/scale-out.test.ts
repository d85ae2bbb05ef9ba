/**
 * Three hookbridge processes (`hookbridge start`) sharing one real redis-server, with a fake Slack
 * in this process. Every test starts its own three instances on its own key prefix, so a test never
 * sees another's jobs. The fake Slack can hold requests (leave them unanswered), fail them (500,
 * 429) or let them hang, and it counts only calls it actually answered: a held or hung request the
 * caller gave up on was never accepted by "Slack", exactly as with the real one.
 *
 * Each instance gets its own bot token, so the fake can tell which instance made a call (the
 * graceful-shutdown test needs to know that the stopping instance had calls in flight).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server.js';

const SECRET = 'scale-secret';
const PUSH = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/app' } });

// ---------------------------------------------------------------------------------------------
// Fake Slack

type SlackMode = 'ok' | 'hold' | 'error' | 'ratelimit' | 'hang';

interface AnsweredCall {
  readonly method: string;
  /** Which instance made the call (its bot token). */
  readonly token: string;
  readonly eventId?: string;
  readonly run?: string;
  readonly ts: string;
}

class ScaleSlack {
  mode: SlackMode = 'ok';
  readonly answered: AnsweredCall[] = [];
  readonly held: { token: string; answer: () => void; drop: () => void }[] = [];
  readonly refused = { error: 0, ratelimit: 0, hang: 0 };
  private seq = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScaleSlack> {
    const fake = new ScaleSlack(createServer());
    fake.server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** Posts per event id (updates are not posts). */
  posts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.answered) if (c.method === 'chat.postMessage') out.set(c.eventId ?? 'unknown', (out.get(c.eventId ?? 'unknown') ?? 0) + 1);
    return out;
  }

  /** Ends the hold: answer the held calls whose caller is still waiting, or drop every one unanswered. */
  release(how: 'answer' | 'drop'): void {
    const held = this.held.splice(0);
    this.mode = 'ok';
    for (const h of held) (how === 'answer' ? h.answer : h.drop)();
  }

  reset(): void {
    this.release('drop');
    this.answered.length = 0;
    this.refused.error = this.refused.ratelimit = this.refused.hang = 0;
  }

  async close(): Promise<void> {
    this.release('drop');
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const body: Record<string, unknown> = req.headers['content-type']?.includes('json')
      ? (JSON.parse(raw) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
    const text = JSON.stringify(body);
    const answer = () => {
      // A caller that gave up (timeout, killed process) never learns of the answer: not accepted.
      if (res.destroyed || req.socket.destroyed) return;
      const ts = method === 'chat.postMessage' ? `1700000000.${String(++this.seq).padStart(6, '0')}` : String(body.ts);
      const eventId = /hb:ack:gh:([0-9a-f-]{36})/.exec(text)?.[1];
      const run = /actions\/runs\/(\d+)/.exec(text)?.[1];
      this.answered.push({ method, token, ts, ...(eventId && { eventId }), ...(run && { run }) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: 'C0SCALE', ts }));
    };
    switch (this.mode) {
      case 'hold':
        this.held.push({ token, answer, drop: () => res.destroy() });
        return;
      case 'hang':
        this.refused.hang++;
        return;
      case 'error':
        this.refused.error++;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream error');
        return;
      case 'ratelimit':
        this.refused.ratelimit++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      default:
        answer();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Instances

interface Instance {
  readonly index: number;
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it wrote (logs and banner), for failure messages. */
  output(): string;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];
const clients: Redis[] = [];
let redis: RedisServer | undefined;
let slack: ScaleSlack | undefined;
let prefixes = 0;

const DEFAULT_DELIVERY = '{ attempts: 40, backoff: { min: 100ms, max: 1s }, timeout: 5s, concurrency: 4, pace: { slack: "off" } }';

interface Cluster {
  readonly prefix: string;
  readonly instances: Instance[];
  readonly configs: string[];
  /** A plain client on the shared Redis, to look at the delivery queue. */
  readonly client: Redis;
  start(index: number): Promise<Instance>;
}

async function cluster(o: { delivery?: string } = {}): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-scale-'));
  dirs.push(dir);
  const prefix = `so${++prefixes}:`;
  // Short locks so a killed instance's jobs (and the lifecycle locks it held) come back within
  // seconds, not the 30 s defaults; the key lock still outlives the 5 s delivery timeout.
  const storeUrl = `${redis!.url}?prefix=${prefix}&lockMs=2000&stalledMs=500&keyLockMs=8000`;
  const configs = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const file = join(dir, `hookbridge-${i}.yaml`);
      await writeFile(
        file,
        `server: { port: 0, host: 127.0.0.1 }
store: { url: "${storeUrl}" }
delivery: ${o.delivery ?? DEFAULT_DELIVERY}
slack: { token: xoxb-scale-${i}, apiUrl: "${slack!.url}" }
sources:
  gh: { type: github, secret: ${SECRET} }
routes:
  - match: { source: gh }
    to: ["slack:#scale"]
    actions: [ack]
`,
      );
      return file;
    }),
  );
  const client = new Redis(redis!.url, { lazyConnect: false });
  client.on('error', () => undefined);
  clients.push(client);
  const instances: Instance[] = [];
  const start = async (i: number) => {
    const inst = await startInstance(i, configs[i]!);
    instances[i] = inst;
    return inst;
  };
  await Promise.all([0, 1, 2].map(start));
  return { prefix, instances, configs, client, start };
}

async function startInstance(index: number, configFile: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'start', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOOKBRIDGE_LOG_LEVEL: 'warn' },
  });
  children.add(child);
  let seen = '';
  const keep = (d: Buffer) => {
    seen = (seen + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => (children.delete(child), resolve({ code, signal }))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${index} did not start:\n${seen}`)), 40_000);
    const look = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(seen);
      if (m) (clearTimeout(timer), resolve(m[1]!.replace('localhost', '127.0.0.1')));
    };
    child.stderr!.on('data', look);
    void exited.then(({ code }) => (clearTimeout(timer), reject(new Error(`instance ${index} exited with ${code}:\n${seen}`))));
  });
  return { index, child, url, exited, output: () => seen };
}

// ---------------------------------------------------------------------------------------------
// Webhooks and waiting

type SendResult = number | 'refused' | 'timeout';

async function send(base: string, id: string, o: { body?: string; event?: string; timeoutMs?: number } = {}): Promise<SendResult> {
  const body = o.body ?? PUSH;
  try {
    const res = await fetch(`${base}/hooks/gh`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': o.event ?? 'push',
        'x-github-delivery': id,
        'x-hub-signature-256': await sign(SECRET, body),
      },
      signal: AbortSignal.timeout(o.timeoutMs ?? 20_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'refused';
  }
}

/** A provider's behaviour: resend (to any live instance) until the delivery is accepted or known. */
async function deliver(live: () => Instance[], id: string, o: { body?: string; event?: string } = {}): Promise<number> {
  for (let tries = 0; tries < 40; tries++) {
    const pool = live();
    const status = await send(pool[Math.floor(Math.random() * pool.length)]!.url, id, o);
    if (status === 202 || status === 200) return status;
    await sleep(250);
  }
  throw new Error(`delivery ${id} was never accepted`);
}

/** Runs `work` over `items` with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function status(url: string, path: string, timeoutMs = 8_000): Promise<SendResult> {
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'refused';
  }
}

/** One request on a fresh connection (no keep-alive socket from before), so "refused" means refused. */
function probe(url: string): Promise<SendResult> {
  return new Promise((resolve) => {
    const u = new URL(`${url}/hooks/gh`);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => (req.destroy(), resolve('timeout')));
    req.on('error', () => resolve('refused'));
    req.setHeader('content-type', 'application/json');
    req.end(PUSH);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await sleep(50);
  }
}

interface QueueCounts {
  wait: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

async function queueCounts(c: Cluster): Promise<QueueCounts> {
  const k = `${c.prefix}bull:delivery:`;
  const [wait, active, delayed, failed, completed, prioritized] = await Promise.all([
    c.client.llen(`${k}wait`),
    c.client.llen(`${k}active`),
    c.client.zcard(`${k}delayed`),
    c.client.zcard(`${k}failed`),
    c.client.zcard(`${k}completed`),
    c.client.zcard(`${k}prioritized`),
  ]);
  return { wait: wait + prioritized, active, delayed, failed, completed };
}

/** Every distinct event posted exactly once: no event missing, none twice, no post we cannot attribute. */
function expectPostedOnce(ids: readonly string[]): void {
  const posts = slack!.posts();
  expect(posts.has('unknown')).toBe(false);
  expect([...posts.keys()].sort()).toEqual([...new Set(ids)].sort());
  expect([...posts.entries()].filter(([, n]) => n > 1)).toEqual([]);
}

const uuids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());

// ---------------------------------------------------------------------------------------------

describe.skipIf(!redisAvailable())('scale-out: three instances on one Redis', () => {
  let c: Cluster;
  const live = () => c.instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);

  beforeAll(async () => {
    [redis, slack] = await Promise.all([startRedis(), ScaleSlack.start()]);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && c) {
      for (const i of c.instances) if (i) console.error(`--- instance ${i.index} output ---\n${i.output().slice(-4_000)}`);
    }
    await Promise.all(
      [...children].map((ch) => {
        const gone = new Promise((r) => ch.once('exit', r));
        ch.kill('SIGKILL');
        return gone;
      }),
    );
    slack?.reset();
  });

  afterAll(async () => {
    for (const ch of children) ch.kill('SIGKILL');
    for (const cl of clients) cl.disconnect();
    await slack?.close();
    await redis?.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('posts each distinct event once when duplicates race on different instances', async () => {
    c = await cluster();
    const ids = uuids(150);
    // Four copies of every delivery, each to a different instance than the one before, all at once.
    const copies = ids.flatMap((id, n) => [0, 1, 2, 3].map((k) => ({ id, at: c.instances[(n + k) % 3]! })));
    copies.sort(() => Math.random() - 0.5);
    const answers = new Map<string, SendResult[]>();
    await pool(copies, 24, async ({ id, at }) => {
      const s = await send(at.url, id);
      answers.set(id, [...(answers.get(id) ?? []), s]);
    });
    for (const id of ids) expect([...answers.get(id)!].sort()).toEqual([200, 200, 200, 202]);

    await until(() => slack!.posts().size >= ids.length, 45_000, () => `every event posted (${slack!.posts().size}/${ids.length})`);
    await until(async () => (await queueCounts(c)).completed >= ids.length, 10_000, () => 'every job completed');
    await sleep(500);
    expectPostedOnce(ids);
    expect(await queueCounts(c)).toMatchObject({ wait: 0, active: 0, delayed: 0, failed: 0, completed: ids.length });
  }, 60_000);

  it('keeps one message per workflow run when its events arrive at different instances at once', async () => {
    c = await cluster();
    const require = createRequire(import.meta.url);
    const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as { name: string; examples: Record<string, unknown>[] }[];
    const example = examples.find((e) => e.name === 'workflow_run')!.examples[0]! as { workflow_run: Record<string, unknown> };
    const stages = [
      { action: 'requested', status: 'queued', conclusion: null },
      { action: 'in_progress', status: 'in_progress', conclusion: null },
      { action: 'in_progress', status: 'in_progress', conclusion: null },
      { action: 'completed', status: 'completed', conclusion: 'failure' },
      { action: 'completed', status: 'completed', conclusion: 'success' },
      { action: 'completed', status: 'completed', conclusion: 'success' },
    ];
    const runs = [1001, 1002, 1003, 1004, 1005];
    const deliveries = runs.flatMap((run) =>
      stages.map((s, k) => {
        const body = JSON.stringify({
          ...example,
          action: s.action,
          workflow_run: {
            ...example.workflow_run,
            id: run,
            html_url: `https://github.com/octo-org/octo-repo/actions/runs/${run}`,
            status: s.status,
            conclusion: s.conclusion,
            updated_at: new Date(Date.UTC(2024, 0, 1, 0, k)).toISOString(),
          },
        });
        return { run, id: crypto.randomUUID(), body, at: c.instances[k % 3]! };
      }),
    );
    const results = await Promise.all(deliveries.map((d) => send(d.at.url, d.id, { body: d.body, event: 'workflow_run' })));
    expect(results.every((r) => r === 202)).toBe(true);

    await until(async () => (await queueCounts(c)).completed >= deliveries.length, 45_000, () => 'every lifecycle job completed');
    const counts = await queueCounts(c);
    expect(counts).toMatchObject({ wait: 0, active: 0, delayed: 0, failed: 0 });

    const calls = slack!.answered;
    for (const run of runs) {
      const posts = calls.filter((x) => x.method === 'chat.postMessage' && x.run === String(run));
      expect(posts, `posts for run ${run}`).toHaveLength(1);
      const updates = calls.filter((x) => x.method === 'chat.update' && x.run === String(run));
      // Every other event of the run updated that one message; an event older than the one already
      // shown is skipped on purpose, so there may be fewer updates than events.
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.length).toBeLessThanOrEqual(stages.length - 1);
      expect(new Set(updates.map((u) => u.ts))).toEqual(new Set([posts[0]!.ts]));
    }
    expect(calls.filter((x) => x.method === 'chat.postMessage')).toHaveLength(runs.length);
  }, 60_000);

  it('finishes the jobs of a SIGKILLed instance on the others and its restart, none lost or posted twice', async () => {
    c = await cluster();
    const ids = uuids(500);
    const accepted: string[] = [];
    const burst = pool(ids, 12, async (id) => {
      await deliver(live, id);
      accepted.push(id);
    });

    await until(() => slack!.answered.length >= 100, 40_000, () => `the first posts (${slack!.answered.length})`);
    // Hold Slack, then give answered posts time to have their references recorded: the kill then
    // falls between chat calls, with work pending, never inside the post/reference window.
    slack!.mode = 'hold';
    await sleep(1_500);
    const victim = c.instances[1]!;
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    const answeredAtKill = slack!.answered.length;
    slack!.release('drop');
    const restarted = c.start(1);

    await burst;
    await restarted;
    expect(accepted.length).toBe(ids.length);
    expect(answeredAtKill).toBeLessThan(ids.length);
    await until(() => slack!.posts().size >= ids.length, 50_000, () => `every event after the kill (${slack!.posts().size}/${ids.length})`);
    await sleep(1_000);
    expectPostedOnce(ids);
    expect((await queueCounts(c)).failed).toBe(0);
  }, 60_000);

  it('answers 503 while Redis is down and resumes without a restart when it is back', async () => {
    c = await cluster();
    const before = uuids(30);
    slack!.mode = 'hold';
    for (const id of before) expect(await send(c.instances[before.indexOf(id) % 3]!.url, id)).toBe(202);
    await until(() => slack!.held.length > 0, 20_000, () => 'deliveries in flight');
    // What a persistent Redis (appendonly, as in docker-compose.yml) would have on disk; the test
    // server runs without persistence, so take the snapshot by hand before the crash.
    await c.client.save();
    await redis!.kill();
    slack!.release('drop');
    slack!.mode = 'hold';

    for (const inst of c.instances) {
      await until(async () => (await status(inst.url, '/readyz')) === 503, 10_000, () => `instance ${inst.index} /readyz 503`);
      // Answers, and answers 503: never a hang and never a 2xx it could not keep.
      expect(await send(inst.url, crypto.randomUUID(), { timeoutMs: 8_000 })).toBe(503);
    }

    await redis!.restart();
    for (const inst of c.instances) {
      await until(async () => (await status(inst.url, '/readyz')) === 200, 30_000, () => `instance ${inst.index} ready again`);
    }
    slack!.release('drop');
    const after = uuids(15);
    for (const id of after) {
      const at = c.instances[after.indexOf(id) % 3]!;
      let s: SendResult = 0;
      await until(async () => (s = await send(at.url, id)) === 202, 15_000, () => `a 202 after the outage (last ${s})`);
    }
    await until(() => slack!.posts().size >= before.length + after.length, 45_000, () => `every event after the outage (${slack!.posts().size}/${before.length + after.length})`);
    await sleep(500);
    expectPostedOnce([...before, ...after]);
    expect(c.instances.every((i) => i.child.exitCode === null)).toBe(true);
  }, 60_000);

  it('does not post twice when Redis goes away just as Slack accepts posts, and is back within seconds', async () => {
    c = await cluster();
    const ids = uuids(12);
    slack!.mode = 'hold';
    for (const id of ids) expect(await send(c.instances[ids.indexOf(id) % 3]!.url, id)).toBe(202);
    await until(() => slack!.held.length >= 6, 20_000, () => `posts in flight (${slack!.held.length})`);
    await c.client.save();
    await redis!.kill();
    for (const inst of c.instances) await until(async () => (await status(inst.url, '/readyz')) === 503, 10_000, () => 'Redis seen as down');
    // Slack accepts the posts now, while their references cannot be written anywhere.
    const acceptedDuringOutage = slack!.held.length;
    slack!.release('answer');
    await sleep(1_500);
    await redis!.restart();

    await until(() => slack!.posts().size >= ids.length, 45_000, () => `every event (${slack!.posts().size}/${ids.length})`);
    await until(async () => (await queueCounts(c)).completed >= ids.length, 20_000, () => 'every job completed');
    await sleep(1_000);
    expect(acceptedDuringOutage).toBeGreaterThan(0);
    expectPostedOnce(ids);
  }, 60_000);

  it('delivers every job once after Slack fails, rate-limits and hangs for a while', async () => {
    c = await cluster({ delivery: '{ attempts: 40, backoff: { min: 100ms, max: 1s }, timeout: 1s, concurrency: 4, pace: { slack: "off" } }' });
    const ids = uuids(40);
    slack!.mode = 'error';
    await pool(ids, 8, async (id) => void expect(await send(c.instances[ids.indexOf(id) % 3]!.url, id)).toBe(202));
    await sleep(3_500);
    slack!.mode = 'ratelimit';
    await sleep(3_500);
    slack!.mode = 'hang';
    await sleep(3_500);
    expect((await queueCounts(c)).failed).toBe(0);
    slack!.mode = 'ok';

    await until(() => slack!.posts().size >= ids.length, 40_000, () => `every event after Slack recovered (${slack!.posts().size}/${ids.length})`);
    await until(async () => (await queueCounts(c)).completed >= ids.length, 10_000, () => 'every job completed');
    await sleep(500);
    expect(slack!.refused.error).toBeGreaterThan(0);
    expect(slack!.refused.ratelimit).toBeGreaterThan(0);
    expect(slack!.refused.hang).toBeGreaterThan(0);
    expectPostedOnce(ids);
    expect(await queueCounts(c)).toMatchObject({ wait: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);

  it('on SIGTERM stops accepting, finishes its in-flight jobs and exits 0, leaving the rest to the others', async () => {
    c = await cluster();
    const ids = uuids(60);
    slack!.mode = 'hold';
    for (const id of ids) expect(await send(c.instances[ids.indexOf(id) % 3]!.url, id)).toBe(202);
    const stopping = c.instances[0]!;
    const token = 'xoxb-scale-0';
    await until(() => slack!.held.some((h) => h.token === token), 20_000, () => 'calls in flight on the instance to stop');

    stopping.child.kill('SIGTERM');
    await sleep(300);
    for (let k = 0; k < 3; k++) {
      expect(['refused', 503]).toContain(await probe(stopping.url));
      await sleep(100);
    }
    // Let the held calls finish well inside the delivery timeout: the stopping instance's in-flight
    // jobs then complete on it before it exits.
    const inFlightOnStopping = slack!.held.filter((h) => h.token === token).length;
    slack!.release('answer');

    const exit = await Promise.race([stopping.exited, sleep(25_000).then(() => 'still running' as const)]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(slack!.answered.filter((a) => a.token === token).length).toBeGreaterThanOrEqual(inFlightOnStopping);

    await until(() => slack!.posts().size >= ids.length, 40_000, () => `every event (${slack!.posts().size}/${ids.length})`);
    await until(async () => (await queueCounts(c)).completed >= ids.length, 10_000, () => 'every job completed');
    await sleep(500);
    expectPostedOnce(ids);
    expect(await queueCounts(c)).toMatchObject({ wait: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);
});
