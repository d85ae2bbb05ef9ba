import { Agent, request } from 'node:http';

export interface SteadyResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  /** Requests that went out more than 5 ms after their slot: the load generator fell behind. */
  readonly late: number;
}

export interface SteadyOptions {
  readonly port: number;
  readonly path: string;
  readonly rate: number;
  readonly seconds: number;
  readonly body: string;
  readonly headers: () => Record<string, string>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * An open-loop load at an even rate: request i is due at start + i/rate, whatever happened to the
 * ones before it, and its latency counts from that due time to the end of the answer. A slow answer
 * therefore cannot hold back later requests and hide its cost (coordinated omission), and a stall
 * in the load generator counts against the figure rather than for it.
 *
 * autocannon's rate option is not used for this: it lets each connection send flat out until its
 * share of the second is used up, then waits for the next second, so "1,000 requests/s" arrives as
 * a burst at full speed followed by silence.
 */
export async function steadyLoad(o: SteadyOptions): Promise<SteadyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const body = Buffer.from(o.body);
  const total = Math.round(o.rate * o.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let late = 0;
  let sent = 0;
  const inflight = new Set<Promise<void>>();
  const started = performance.now();

  const fire = (due: number) => {
    if (performance.now() - due > 5) late++;
    const done = new Promise<void>((resolve) => {
      const req = request(
        { agent, host: '127.0.0.1', port: o.port, path: o.path, method: 'POST', headers: { ...o.headers(), 'content-length': String(body.length) } },
        (res) => {
          res.on('data', () => undefined).on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        non2xx++;
        resolve();
      });
      req.end(body);
    });
    inflight.add(done);
    void done.then(() => inflight.delete(done));
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + (sent * 1000) / o.rate <= now) fire(started + (sent++ * 1000) / o.rate);
      if (sent < total) setTimeout(tick, Math.max(0, started + (sent * 1000) / o.rate - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: total / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, non2xx, late };
}
