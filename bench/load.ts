// npm run bench -- --load [--events 10000 --duplicates 0.2 --connections 16 --slack-errors 0.05]
// Scale-out load test: three `hookbridge start` processes on one redis-server, signed GitHub push
// webhooks sent as fast as the machine takes them (autocannon, one run per instance, in parallel),
// a share of them duplicates sent to another instance than the original, and a fake Slack that
// answers a share of its calls with 500. Reports ingest throughput and latency, what was delivered,
// duplicates posted and events lost (both must be 0), and each instance's peak memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import autocannon from 'autocannon';
import { startRedis } from '../test/helpers/redis-server.js';
import { SlackSink } from './fake-slack-sink.js';
import { BENCH_SECRET } from './payload.js';

export interface LoadOptions {
  /** Webhooks sent in all, duplicates included. */
  readonly events: number;
  /** Share of `events` that repeat an earlier delivery id. */
  readonly duplicates: number;
  /** Connections per instance. */
  readonly connections: number;
  /** Share of chat calls the fake Slack answers with a 500. */
  readonly slackErrors: number;
}

export interface InstanceFigures {
  readonly sent: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly status: Record<string, number>;
  readonly errors: number;
  /** Peak resident set (VmHWM), MiB. */
  readonly peakRssMiB: number;
}

export interface LoadFigures {
  readonly sent: number;
  readonly distinct: number;
  readonly accepted: number;
  readonly duplicatesAnswered: number;
  readonly refused: number;
  readonly ingestSeconds: number;
  readonly acceptedPerSecond: number;
  readonly p99: number;
  readonly delivered: number;
  readonly duplicatesPosted: number;
  readonly lost: number;
  readonly drainSeconds: number;
  readonly slackCalls: number;
  readonly slack500s: number;
  readonly instances: InstanceFigures[];
  readonly loadBefore: number;
}

async function startInstance(configFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'start', '--config', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOOKBRIDGE_LOG_LEVEL: 'error' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      seen = (seen + d.toString()).slice(-10_000);
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(seen);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`hookbridge exited with ${code}:\n${seen}`)));
  });
  return { child, port };
}

/** Peak resident set of a live process so far, in MiB (Linux). */
function peakRssMiB(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The delivery ids each instance is sent, in order. A duplicate goes to the next instance, placed
 * near its original's position so that many of them race the original rather than follow it.
 */
function plan(events: number, duplicateShare: number, instances: number): { lists: string[][]; distinct: number } {
  const dupes = Math.round(events * duplicateShare);
  const distinct = events - dupes;
  const ids = Array.from({ length: distinct }, () => randomUUID());
  const lists: string[][] = Array.from({ length: instances }, () => []);
  ids.forEach((id, i) => lists[i % instances]!.push(id));
  for (let d = 0; d < dupes; d++) {
    const i = Math.floor((d / dupes) * distinct);
    const to = lists[(i + 1) % instances]!;
    to.splice(Math.min(to.length, Math.floor(i / instances) + 1), 0, ids[i]!);
  }
  return { lists, distinct };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureLoad(o: LoadOptions): Promise<LoadFigures> {
  const loadBefore = loadavg()[0]!;
  const redis = await startRedis();
  const slack = await SlackSink.start({ errorShare: o.slackErrors });
  const dir = await mkdtemp(join(tmpdir(), 'hb-bench-load-'));
  const instances: { child: ChildProcess; port: number }[] = [];
  try {
    const configFile = join(dir, 'hookbridge.yaml');
    await writeFile(
      configFile,
      `server: { port: 0, host: 127.0.0.1 }
store: { url: "${redis.url}?prefix=load:" }
delivery: { attempts: 20, backoff: { min: 100ms, max: 2s }, timeout: 5s, concurrency: 16, pace: { slack: "off" } }
slack: { token: xoxb-load, apiUrl: "${slack.url}" }
sources:
  gh: { type: github, secret: ${BENCH_SECRET} }
routes:
  - match: { source: gh }
    to: ["slack:#load"]
    actions: [ack]
`,
    );
    instances.push(...(await Promise.all([0, 1, 2].map(() => startInstance(configFile)))));

    const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/app' }, pusher: { name: 'load' }, commits: [] });
    const signature = await sign(BENCH_SECRET, body);
    const { lists, distinct } = plan(o.events, o.duplicates, instances.length);

    const t0 = performance.now();
    const runs = await Promise.all(
      instances.map(({ port }, n) => {
        const list = lists[n]!;
        let next = 0;
        return autocannon({
          url: `http://127.0.0.1:${port}/hooks/gh`,
          connections: o.connections,
          amount: list.length,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              body,
              setupRequest: (req) => ({
                ...req,
                headers: {
                  'content-type': 'application/json',
                  'x-github-event': 'push',
                  'x-github-delivery': list[next++ % list.length]!,
                  'x-hub-signature-256': signature,
                },
              }),
            },
          ],
        });
      }),
    );
    const ingestSeconds = (performance.now() - t0) / 1000;
    const count = (code: string) => runs.reduce((n, r) => n + ((r.statusCodeStats as Record<string, { count: number }>)[code]?.count ?? 0), 0);
    const accepted = count('202');
    const duplicatesAnswered = count('200');

    // Drain: wait until every accepted event was posted, or nothing moved for 30 s.
    const t1 = performance.now();
    let last = -1;
    let still = performance.now();
    while (slack.arrivals.size < accepted) {
      if (slack.arrivals.size !== last) (last = slack.arrivals.size), (still = performance.now());
      if (performance.now() - still > 30_000) break;
      await sleep(100);
    }
    const drainSeconds = (performance.now() - t1) / 1000;
    await sleep(2_000); // a late second copy would show up here

    const posted = [...slack.arrivals.entries()].map(([id, at]) => [id, at.length] as const);
    const figures: LoadFigures = {
      sent: runs.reduce((n, r) => n + r.requests.sent, 0),
      distinct,
      accepted,
      duplicatesAnswered,
      refused: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
      ingestSeconds,
      acceptedPerSecond: (accepted + duplicatesAnswered) / ingestSeconds,
      p99: Math.max(...runs.map((r) => r.latency.p99)),
      delivered: posted.length,
      duplicatesPosted: posted.reduce((n, [, c]) => n + c - 1, 0) + slack.unidentified,
      lost: Math.max(0, accepted - posted.length),
      drainSeconds,
      slackCalls: slack.calls,
      slack500s: slack.failed,
      loadBefore,
      instances: runs.map((r, n) => ({
        sent: r.requests.sent,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        status: Object.fromEntries(Object.entries(r.statusCodeStats as Record<string, { count: number }>).map(([k, v]) => [k, v.count])),
        errors: r.errors + r.timeouts,
        peakRssMiB: peakRssMiB(instances[n]!.child.pid),
      })),
    };
    return figures;
  } finally {
    await Promise.all(
      instances.map(({ child }) => {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        return Promise.race([gone, sleep(15_000).then(() => child.kill('SIGKILL'))]);
      }),
    );
    await slack.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printLoad(o: LoadOptions, f: LoadFigures): void {
  const mib = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
  console.log(
    `\nScale-out on Redis: 3 instances, ${f.sent} signed GitHub webhooks (${f.distinct} distinct, ${(o.duplicates * 100).toFixed(0)}% duplicates), ` +
      `fake Slack answering ${(o.slackErrors * 100).toFixed(0)}% 500s; node ${process.version}, ${cpus().length} cores, load average ${f.loadBefore.toFixed(2)} before the run\n`,
  );
  console.log('| measure | figure |');
  console.log('|---|---:|');
  console.log(`| accepted/s, all instances (202 new + 200 duplicate) | ${f.acceptedPerSecond.toFixed(0)} |`);
  console.log(`| new events accepted/s (202 only) | ${(f.accepted / f.ingestSeconds).toFixed(0)} |`);
  console.log(`| ingest time for ${f.sent} requests | ${f.ingestSeconds.toFixed(1)} s |`);
  console.log(`| p99 ingest latency (worst instance) | ${f.p99} ms |`);
  console.log(`| accepted (202) | ${f.accepted} |`);
  console.log(`| duplicates answered 200 | ${f.duplicatesAnswered} |`);
  console.log(`| refused or failed requests | ${f.refused} |`);
  console.log(`| delivered (distinct events posted) | ${f.delivered} |`);
  console.log(`| duplicates posted | ${f.duplicatesPosted} |`);
  console.log(`| lost (accepted, never posted) | ${f.lost} |`);
  console.log(`| drain after the last request | ${f.drainSeconds.toFixed(1)} s |`);
  console.log(`| chat calls (of which 500) | ${f.slackCalls} (${f.slack500s}) |`);
  console.log('\n| instance | requests | req/s | p50 ms | p99 ms | statuses | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---|---:|');
  f.instances.forEach((i, n) => {
    const statuses = Object.entries(i.status).map(([k, v]) => `${k}: ${v}`).join(', ') + (i.errors ? `, errors: ${i.errors}` : '');
    console.log(`| ${n + 1} | ${i.sent} | ${i.rps.toFixed(0)} | ${i.p50} | ${i.p99} | ${statuses} | ${mib(i.peakRssMiB)} |`);
  });
}
