// npm run bench [-- --duration 10 --connections 50 --rate 1000 --event workflow_run --servers bare,memory --no-delivery]
// npm run bench -- --load [--events 10000 --duplicates 0.2 --load-connections 16 --slack-errors 0.05]
//   (scale-out load test instead: three instances on Redis, see bench/load.ts)
// Measures signed GitHub webhooks through the full ingest path (verify, dedupe, record) with the
// memory and SQLite stores, next to a bare node:http server answering 202, all in one run.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sign } from '@octokit/webhooks-methods';
import autocannon from 'autocannon';
import { measureDelivery } from './delivery.js';
import { measureLoad, printLoad } from './load.js';
import { BENCH_SECRET, githubExample } from './payload.js';
import { startServer, stopServer } from './start-server.js';
import { steadyLoad } from './steady.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    'delivery-rate': { type: 'string', default: '200' },
    // Any event of @octokit/webhooks-examples: its first example is the payload (default about 17 KB).
    event: { type: 'string', default: 'workflow_run' },
    servers: { type: 'string', default: 'bare,bare-read,verify-parse,memory,memory+guards,sqlite' },
    'no-delivery': { type: 'boolean', default: false },
    load: { type: 'boolean', default: false },
    events: { type: 'string', default: '10000' },
    duplicates: { type: 'string', default: '0.2' },
    'load-connections': { type: 'string', default: '16' },
    'slack-errors': { type: 'string', default: '0.05' },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const steadyRate = Number(args.rate);

interface Row {
  server: string;
  load: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

const event = args.event;
const headers = (signature: string) => ({
  'content-type': 'application/json',
  'x-github-event': event,
  // Every request is a new delivery (so none is a duplicate); the body and its signature stay the same.
  'x-github-delivery': randomUUID(),
  'x-hub-signature-256': signature,
});

/** Flat out: `connections` keep-alive connections, each sending its next request when answered. */
async function load(port: number, body: string, signature: string, seconds: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/hooks/gh`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', body, setupRequest: (req) => ({ ...req, headers: headers(signature) }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

/** An even, open-loop rate (see steady.ts for why not autocannon's rate option). */
async function steady(port: number, body: string, signature: string, seconds: number) {
  const r = await steadyLoad({ port, path: '/hooks/gh', rate: steadyRate, seconds, body, headers: () => headers(signature) });
  if (r.late > r.rps * seconds * 0.01) console.warn(`  (load generator fell behind on ${r.late} requests: figures for this row are pessimistic)`);
  return { rps: r.rps, p50: round(r.p50), p99: round(r.p99), non2xx: r.non2xx };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const body = githubExample(event);
  const signature = await sign(BENCH_SECRET, body);
  const rows: Row[] = [];
  for (const mode of args.servers.split(',')) {
    const { child, port } = await startServer([mode, event]);
    try {
      await load(port, body, signature, 2); // warm-up (JIT, connections)
      rows.push({ server: mode, load: `max, ${connections} conns`, ...(await load(port, body, signature, duration)) });
      rows.push({ server: mode, load: `steady ${steadyRate}/s`, ...(await steady(port, body, signature, duration)) });
    } finally {
      await stopServer(child);
    }
  }
  const max = (server: string) => rows.find((r) => r.server === server && r.load.startsWith('max'))?.rps;
  const bare = max('bare');
  const floor = max('verify-parse');
  console.log(`\nIngest benchmark: ${Buffer.byteLength(body)} byte ${event} deliveries, node ${process.version}, ${duration}s per run\n`);
  console.log('| server | load | req/s | p50 ms | p99 ms | ratio to bare | ratio to verify-parse | non-2xx |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  const pct = (x: number, of: number | undefined) => (of === undefined ? '' : `${((x / of) * 100).toFixed(0)}%`);
  for (const r of rows) {
    const [toBare, toFloor] = r.load.startsWith('max') ? [pct(r.rps, bare), pct(r.rps, floor)] : ['', ''];
    console.log(`| ${r.server} | ${r.load} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${toBare} | ${toFloor} | ${r.non2xx} |`);
  }

  const plain = max('memory');
  const guarded = max('memory+guards');
  if (plain !== undefined && guarded !== undefined) {
    console.log(`\nAllowlist + rate limits on: ${((1 - guarded / plain) * 100).toFixed(1)}% less throughput than off (memory store)`);
  }
  if (args['no-delivery']) return;

  const d = await measureDelivery({ rate: Number(args['delivery-rate']), seconds: duration });
  console.log(`\nDelivery (sqlite store, fake Slack on loopback, pacing off)\n`);
  console.log('| measure | figure |');
  console.log('|---|---:|');
  console.log(`| accept-to-post p50 at ${d.latency.rate}/s (${d.latency.events} events after a warm-up) | ${d.latency.p50.toFixed(1)} ms |`);
  console.log(`| accept-to-post p99 | ${d.latency.p99.toFixed(1)} ms |`);
  console.log(`| accept-to-post max | ${d.latency.max.toFixed(1)} ms |`);
  console.log(`| cold start: first ${d.cold.events} events after start, p50 / p99 / max | ${d.cold.p50.toFixed(1)} / ${d.cold.p99.toFixed(1)} / ${d.cold.max.toFixed(1)} ms |`);
  console.log(`| fan-out: ${d.fanout.events} events × ${d.fanout.channels} channels | ${d.fanout.posts} posts in ${d.fanout.seconds.toFixed(1)} s |`);
  console.log(`| fan-out delivery throughput | ${d.fanout.postsPerSecond.toFixed(0)} posts/s |`);
}

if (args.load) {
  const o = {
    events: Number(args.events),
    duplicates: Number(args.duplicates),
    connections: Number(args['load-connections']),
    slackErrors: Number(args['slack-errors']),
  };
  printLoad(o, await measureLoad(o));
} else {
  await main();
}
