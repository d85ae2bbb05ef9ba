// npm run bench [-- --duration 10 --connections 50 --rate 1000]
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
import { BENCH_SECRET, workflowRunPayload } from './payload.js';
import { startServer } from './start-server.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    'delivery-rate': { type: 'string', default: '200' },
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

async function load(port: number, body: string, signature: string, o: { rate?: number; seconds: number }) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/hooks/gh`,
    connections: o.rate ? Math.min(connections, 20) : connections,
    duration: o.seconds,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      {
        method: 'POST',
        body,
        // Every request is a new delivery (so none is a duplicate); the body and its signature stay the same.
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'workflow_run',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': signature,
          },
        }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function main(): Promise<void> {
  const body = workflowRunPayload();
  const signature = await sign(BENCH_SECRET, body);
  const rows: Row[] = [];
  for (const mode of ['bare', 'bare-read', 'memory', 'memory+guards', 'sqlite']) {
    const { child, port } = await startServer([mode]);
    try {
      await load(port, body, signature, { seconds: 2 }); // warm-up (JIT, connections)
      rows.push({ server: mode, load: `max, ${connections} conns`, ...(await load(port, body, signature, { seconds: duration })) });
      rows.push({ server: mode, load: `steady ${steadyRate}/s`, ...(await load(port, body, signature, { seconds: duration, rate: steadyRate })) });
    } finally {
      child.kill('SIGTERM');
    }
  }
  const bare = rows.find((r) => r.server === 'bare' && r.load.startsWith('max'))!.rps;
  console.log(`\nIngest benchmark: ${Buffer.byteLength(body)} byte workflow_run deliveries, node ${process.version}, ${duration}s per run\n`);
  console.log('| server | load | req/s | p50 ms | p99 ms | ratio to bare | non-2xx |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = r.load.startsWith('max') ? `${((r.rps / bare) * 100).toFixed(0)}%` : '';
    console.log(`| ${r.server} | ${r.load} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio} | ${r.non2xx} |`);
  }

  const plain = rows.find((r) => r.server === 'memory' && r.load.startsWith('max'))!.rps;
  const guarded = rows.find((r) => r.server === 'memory+guards' && r.load.startsWith('max'))!.rps;
  console.log(`\nAllowlist + rate limits on: ${((1 - guarded / plain) * 100).toFixed(1)}% less throughput than off (memory store)`);

  const d = await measureDelivery({ rate: Number(args['delivery-rate']), seconds: duration });
  console.log(`\nDelivery (sqlite store, fake Slack on loopback, pacing off)\n`);
  console.log('| measure | figure |');
  console.log('|---|---:|');
  console.log(`| accept-to-post p50 at ${d.latency.rate}/s (${d.latency.events} events) | ${d.latency.p50.toFixed(1)} ms |`);
  console.log(`| accept-to-post p99 | ${d.latency.p99.toFixed(1)} ms |`);
  console.log(`| accept-to-post max | ${d.latency.max.toFixed(1)} ms |`);
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
