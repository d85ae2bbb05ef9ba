import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { SlackSink } from './fake-slack-sink.js';
import { BENCH_SECRET, githubExample } from './payload.js';
import { startServer, stopServer } from './start-server.js';

export interface DeliveryFigures {
  readonly latency: { rate: number; events: number; p50: number; p99: number; max: number };
  /** The warm-up events (sent first, to a freshly started server): not in `latency`, kept in view. */
  readonly cold: { events: number; p50: number; p99: number; max: number };
  readonly fanout: { channels: number; events: number; posts: number; seconds: number; postsPerSecond: number };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function configFile(sink: SlackSink, channels: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hb-bench-delivery-'));
  const file = join(dir, 'hookbridge.yaml');
  const targets = Array.from({ length: channels }, (_, i) => `"slack:#bench-${i + 1}"`).join(', ');
  await writeFile(
    file,
    `store: { url: "${process.env.BENCH_STORE ?? 'sqlite://./hb.sqlite'}" }
delivery: { concurrency: 32, pace: { slack: "off" }, backoff: { min: 100ms, max: 1s } }
slack: { token: xoxb-bench, apiUrl: "${sink.url}" }
sources:
  gh: { type: github, secret: ${BENCH_SECRET} }
routes:
  - match: { source: gh }
    to: [${targets}]
    actions: [ack]
`,
  );
  return file;
}

async function send(port: number, body: string, signature: string): Promise<{ id: string; acceptedAt: number }> {
  const id = randomUUID();
  const res = await fetch(`http://127.0.0.1:${port}/hooks/gh`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': signature },
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`unexpected status ${res.status}`);
  return { id, acceptedAt: performance.now() };
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

/** Sends `total` events at an even, open-loop `rate`; resolves when every one was answered 202. */
async function steadySends(port: number, body: string, signature: string, rate: number, total: number) {
  const sent: { id: string; acceptedAt: number }[] = [];
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(port, body, signature).then((s) => void sent.push(s)));
  }
  await Promise.all(inflight);
  return sent;
}

/** Accept-to-post latency of each sent event, sorted (NaN when it never arrived). */
const latenciesOf = (sent: readonly { id: string; acceptedAt: number }[], sink: SlackSink) =>
  sent.map((s) => (sink.arrivals.get(s.id)?.[0] ?? NaN) - s.acceptedAt).sort((a, b) => a - b);

const figures = (sorted: number[]) => ({ events: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN });

/**
 * Accept-to-post latency at a steady rate to one channel, then throughput fanned out to 20 channels.
 * Like the ingest rows, latency is measured on a warmed-up server: the first `warmupSeconds` of the
 * same traffic go to the freshly started process first (its first half second is spent compiling
 * every code path, both cores busy) and are reported apart as `cold`.
 */
export async function measureDelivery(o: { rate: number; seconds: number; warmupSeconds?: number }): Promise<DeliveryFigures> {
  const body = githubExample('push');
  const signature = await sign(BENCH_SECRET, body);

  const sink = await SlackSink.start();
  const oneConfig = await configFile(sink, 1);
  const one = await startServer(['config', oneConfig]);
  const warm = await steadySends(one.port, body, signature, o.rate, Math.round(o.rate * (o.warmupSeconds ?? 2)));
  await waitFor(() => sink.arrivals.size >= warm.length, 30_000);
  const total = o.rate * o.seconds;
  const sent = await steadySends(one.port, body, signature, o.rate, total);
  await waitFor(() => sink.arrivals.size >= warm.length + total, 30_000);
  const latencies = latenciesOf(sent, sink);
  const cold = figures(latenciesOf(warm, sink));
  await stopServer(one.child);
  await rm(dirname(oneConfig), { recursive: true, force: true });
  await sink.close();

  const fan = await SlackSink.start();
  const channels = 20;
  const manyConfig = await configFile(fan, channels);
  const many = await startServer(['config', manyConfig]);
  const events = 200;
  const t0 = performance.now();
  for (let i = 0; i < events; i += 20) await Promise.all(Array.from({ length: 20 }, () => send(many.port, body, signature)));
  await waitFor(() => fan.posts >= events * channels, 60_000);
  const seconds = (performance.now() - t0) / 1000;
  await stopServer(many.child);
  await rm(dirname(manyConfig), { recursive: true, force: true });
  await fan.close();

  return {
    latency: { rate: o.rate, ...figures(latencies) },
    cold,
    fanout: { channels, events, posts: fan.posts, seconds, postsPerSecond: fan.posts / seconds },
  };
}
