import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { SlackSink } from './fake-slack-sink.js';
import { BENCH_SECRET } from './payload.js';
import { startServer } from './start-server.js';

export interface DeliveryFigures {
  readonly latency: { rate: number; events: number; p50: number; p99: number; max: number };
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

/** Accept-to-post latency at a steady rate to one channel, then throughput fanned out to 20 channels. */
export async function measureDelivery(o: { rate: number; seconds: number }): Promise<DeliveryFigures> {
  const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/app' }, pusher: { name: 'bench' }, commits: [] });
  const signature = await sign(BENCH_SECRET, body);

  const sink = await SlackSink.start();
  const one = await startServer(['config', await configFile(sink, 1)]);
  const sent: { id: string; acceptedAt: number }[] = [];
  const total = o.rate * o.seconds;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(one.port, body, signature).then((s) => void sent.push(s)));
  }
  await Promise.all(inflight);
  await waitFor(() => sink.arrivals.size >= total, 30_000);
  const latencies = sent.map((s) => (sink.arrivals.get(s.id)?.[0] ?? NaN) - s.acceptedAt).sort((a, b) => a - b);
  one.child.kill('SIGTERM');
  await sink.close();

  const fan = await SlackSink.start();
  const channels = 20;
  const many = await startServer(['config', await configFile(fan, channels)]);
  const events = 200;
  const t0 = performance.now();
  for (let i = 0; i < events; i += 20) await Promise.all(Array.from({ length: 20 }, () => send(many.port, body, signature)));
  await waitFor(() => fan.posts >= events * channels, 60_000);
  const seconds = (performance.now() - t0) / 1000;
  many.child.kill('SIGTERM');
  await fan.close();

  return {
    latency: { rate: o.rate, events: total, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
    fanout: { channels, events, posts: fan.posts, seconds, postsPerSecond: fan.posts / seconds },
  };
}
