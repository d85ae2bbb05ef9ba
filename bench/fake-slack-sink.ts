import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A minimal Slack Web API stand-in that notes when each event's post arrived (by its Ack button id). */
export class SlackSink {
  readonly arrivals = new Map<string, number[]>();
  posts = 0;
  private seq = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<SlackSink> {
    const sink = new SlackSink(createServer());
    sink.server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c));
      req.on('end', () => {
        const at = performance.now();
        const id = /hb:ack:[^:]+:([0-9a-f-]{36})/.exec(decodeURIComponent(raw))?.[1];
        if (id) {
          const list = sink.arrivals.get(id) ?? [];
          list.push(at);
          sink.arrivals.set(id, list);
        }
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
