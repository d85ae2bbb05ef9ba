/**
 * A fake Slack Web API: a real HTTP server on a free loopback port for the real `@slack/web-api`
 * WebClient (and Bolt) to talk to.
 *
 *   const slack = await FakeSlack.start({ token: 'xoxb-test' });
 *   new WebClient('xoxb-test', { slackApiUrl: slack.url });
 *   slack.requests           // every request: method, path, headers, parsed body
 *   slack.calls('chat.postMessage')   // parsed bodies of one API method
 *   slack.failNext(2, 'rate_limit', { retryAfterSec: 3 })   // next 2 requests answer 429
 *   slack.failNext(1, 'platform_error', { error: 'channel_not_found' })
 *   slack.failNext(1, 'hang')                               // never answers (timeouts)
 *   slack.failNext(1, 'server_error', { method: 'chat.update' })   // only that API method
 *   await slack.close()
 *
 * Implements chat.postMessage, chat.update, chat.postEphemeral, views.open/update/publish.
 * Also stands in for interaction `response_url`s: `slack.responseUrl('r1')` gives a URL whose
 * POSTs are recorded (`slack.responses('r1')`) and answered like Slack does.
 * `#name` channels are answered with a stable `C…` id, as Slack does.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the `/api/` prefix for API calls, e.g. `chat.postMessage`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Form or JSON body; form values that hold JSON (blocks, attachments, view) are parsed. */
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

export type SlackFailureKind = 'rate_limit' | 'server_error' | 'hang' | 'platform_error';

export interface SlackFailureOptions {
  /** Seconds in the 429's Retry-After header (default 1). */
  readonly retryAfterSec?: number;
  /** Error code for `platform_error` (default `internal_error`). */
  readonly error?: string;
  /** Status for `server_error` (default 500). */
  readonly status?: number;
  /** Fail only calls to this API method (e.g. `chat.postMessage`); others pass. */
  readonly method?: string;
}

type Handler = (body: Record<string, unknown>) => Record<string, unknown>;

export class FakeSlack {
  readonly requests: RecordedRequest[] = [];
  #failures: { kind: SlackFailureKind; o: SlackFailureOptions }[] = [];
  #seq = 0;
  readonly #messages = new Map<string, Record<string, unknown>>();

  private constructor(
    private readonly server: Server,
    private readonly token: string | undefined,
  ) {}

  /** Starts on 127.0.0.1 with a free port. With `token`, other bearer tokens get `invalid_auth`. */
  static async start(o: { token?: string } = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, o.token);
    server.on('request', (req, res) => void fake.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL for `slackApiUrl` (ends with `/api/`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** The next `n` requests (to `o.method`, or any) fail this way. */
  failNext(n: number, kind: SlackFailureKind, o: SlackFailureOptions = {}): void {
    for (let i = 0; i < n; i++) this.#failures.push({ kind, o });
  }

  /** Parsed bodies of the successful and failed calls to one API method, in order. */
  calls(method: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path === method).map((r) => r.body);
  }

  /** A `response_url` served by this fake (slash commands and interactivity post JSON to it). */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/response/${encodeURIComponent(id)}`;
  }

  /** JSON bodies posted to one `responseUrl(id)`, in order. */
  responses(id: string): Record<string, unknown>[] {
    return this.calls(`/response/${encodeURIComponent(id)}`);
  }

  /** The id a `#name` channel resolves to. */
  channelId(channel: string): string {
    if (!channel.startsWith('#')) return channel;
    return `C${createHash('sha1').update(channel.slice(1)).digest('hex').slice(0, 10).toUpperCase()}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/api\//, '');
    const body = parseBody(raw, req.headers['content-type']);
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, raw });
    const at = this.#failures.findIndex((f) => f.o.method === undefined || f.o.method === path);
    const failure = at < 0 ? undefined : this.#failures.splice(at, 1)[0];
    if (failure) return this.#fail(res, failure.kind, failure.o);
    // response_urls carry their own authority (the URL), no bearer token.
    if (path.startsWith('/response/')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      return json(res, 200, { ok: false, error: 'invalid_auth' });
    }
    const handler = this.#handlers[path];
    json(res, 200, handler ? handler(body) : { ok: false, error: 'unknown_method' });
  }

  #fail(res: ServerResponse, kind: SlackFailureKind, o: SlackFailureOptions): void {
    if (kind === 'hang') return;
    if (kind === 'rate_limit') {
      res.setHeader('Retry-After', String(o.retryAfterSec ?? 1));
      return json(res, 429, { ok: false, error: 'ratelimited' });
    }
    if (kind === 'platform_error') return json(res, 200, { ok: false, error: o.error ?? 'internal_error' });
    res.writeHead(o.status ?? 500, { 'content-type': 'text/plain' }).end('upstream error');
  }

  #ts(): string {
    this.#seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }

  readonly #handlers: Record<string, Handler> = {
    'chat.postMessage': (b) => {
      const channel = this.channelId(String(b.channel ?? ''));
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!b.text && !b.blocks) return { ok: false, error: 'no_text' };
      const ts = this.#ts();
      const message = { type: 'message', ts, text: b.text, blocks: b.blocks, thread_ts: b.thread_ts, bot_id: 'B0FAKE' };
      this.#messages.set(`${channel}/${ts}`, message);
      return { ok: true, channel, ts, message };
    },
    'chat.update': (b) => {
      const channel = String(b.channel ?? '');
      const key = `${channel}/${String(b.ts)}`;
      if (!this.#messages.has(key)) return { ok: false, error: 'message_not_found' };
      const message = { ...this.#messages.get(key), text: b.text, blocks: b.blocks };
      this.#messages.set(key, message);
      return { ok: true, channel, ts: b.ts, text: b.text, message };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: this.#ts() }),
    'views.open': (b) => ({ ok: true, view: { id: `V${++this.#seq}`, ...(b.view as object) } }),
    'views.update': (b) => ({ ok: true, view: { id: b.view_id ?? `V${++this.#seq}`, ...(b.view as object) } }),
    'views.publish': (b) => ({ ok: true, view: { id: `V${++this.#seq}`, ...(b.view as object) } }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
