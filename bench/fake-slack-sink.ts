import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal Slack Web API stand-in that notes when each event's post arrived (by its Ack button id).
 * With `errorShare`, that share of calls is answered 500 (and not counted as posted).
 */
export class SlackSink {
  readonly arrivals = new Map<string, number[]>();
  /** Posts accepted. */
  posts = 0;
  /** Every call, and those answered 500. */
  calls = 0;
  failed = 0;
  /** Accepted posts whose event id could not be read (each one is a post nobody can account for). */
  unidentified = 0;
  private seq = 0;
  private constructor(
    private readonly server: Server,
    private readonly errorShare: number,
  ) {}

  static async start(o: { errorShare?: number } = {}): Promise<SlackSink> {
    const sink = new SlackSink(createServer(), o.errorShare ?? 0);
    sink.server.keepAliveTimeout = 60_000;
    sink.server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c));
      req.on('end', () => {
        const at = performance.now();
        sink.calls++;
        if (sink.errorShare > 0 && Math.random() < sink.errorShare) {
          sink.failed++;
          res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream error');
          return;
        }
        const id = /hb:ack:[^:]+:([0-9a-f-]{36})/.exec(decodeURIComponent(raw))?.[1];
        if (id) {
          const list = sink.arrivals.get(id) ?? [];
          list.push(at);
          sink.arrivals.set(id, list);
        } else sink.unidentified++;
        sink.posts++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, channel: 'C0BENCH', ts: `1700000000.${String(++sink.seq).padStart(6, '0')}` }));
      });
    });
    await new Promise<void>((r) => sink.server.listen(0, '127.0.0.1', r));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
