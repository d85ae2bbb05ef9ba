/**
 * A fake Discord REST API: a real HTTP server on a free loopback port for the real discord.js
 * `REST` (from `@discordjs/rest`) to talk to.
 *
 *   const discord = await FakeDiscord.start({ token: 'bot-token' });
 *   new REST({ api: discord.url, retries: 0 }).setToken('bot-token');
 *   discord.requests                 // every request: method, path, headers, parsed JSON body
 *   discord.calls('POST', /messages$/)   // parsed bodies of matching requests
 *   discord.failNext(1, 'rate_limit', { retryAfterSec: 1.5, global: true })
 *   discord.failNext(1, 'api_error', { status: 404, code: 10003, message: 'Unknown Channel' })
 *   discord.failNext(1, 'hang')
 *   discord.failNext(1, 'server_error', { method: 'PATCH' })   // only matching requests
 *   await discord.close()
 *
 * Implements POST /channels/:id/messages and PATCH /channels/:id/messages/:mid (API v10),
 * answering message objects with snowflake ids. For interactions: follow-ups
 * (POST /webhooks/:app/:token), edits of the original response (PATCH
 * /webhooks/:app/:token/messages/@original) and command registration (PUT /applications/:id/commands).
 * Interaction webhooks are authorised by their token in the path, so they need no Bot token.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path below the API version, e.g. `/channels/123/messages`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

export type DiscordFailureKind = 'rate_limit' | 'server_error' | 'hang' | 'api_error';

export interface DiscordFailureOptions {
  /** `retry_after` in seconds (float) and the Retry-After header (default 1). */
  readonly retryAfterSec?: number;
  /** A global rate limit (sets `X-RateLimit-Global`). */
  readonly global?: boolean;
  /** Status for `server_error` (default 500) or `api_error` (default 400). */
  readonly status?: number;
  /** JSON error code and message for `api_error`. */
  readonly code?: number;
  readonly message?: string;
  /** Fail only requests with this HTTP method and/or a path matching this pattern. */
  readonly method?: string;
  readonly path?: RegExp;
}

const discordEpoch = 1_420_070_400_000n;

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  #failures: { kind: DiscordFailureKind; o: DiscordFailureOptions }[] = [];
  #seq = 0n;
  readonly #messages = new Map<string, Record<string, unknown>>();
  #lastJson: unknown;

  private constructor(
    private readonly server: Server,
    private readonly token: string | undefined,
  ) {}

  /** Starts on 127.0.0.1 with a free port. With `token`, other `Bot` tokens get 401. */
  static async start(o: { token?: string } = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, o.token);
    server.on('request', (req, res) => void fake.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL for REST's `api` option (REST appends `/v10`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  /** The next `n` requests (matching `o.method`/`o.path`, or any) fail this way. */
  failNext(n: number, kind: DiscordFailureKind, o: DiscordFailureOptions = {}): void {
    for (let i = 0; i < n; i++) this.#failures.push({ kind, o });
  }

  /** Parsed bodies of requests with this method whose path matches. */
  calls(method: string, path: RegExp): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).map((r) => r.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/api\/v\d+/, '');
    const parsed: unknown = raw && req.headers['content-type']?.includes('application/json') ? JSON.parse(raw) : {};
    // Command registration sends an array; requests keep a record body, the array stays readable here.
    this.#lastJson = parsed;
    const body = (Array.isArray(parsed) ? { items: parsed } : parsed) as Record<string, unknown>;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, headers: req.headers, body, raw });
    const at = this.#failures.findIndex((f) => (f.o.method ?? method) === method && (f.o.path?.test(path) ?? true));
    const failure = at < 0 ? undefined : this.#failures.splice(at, 1)[0];
    if (failure) return this.#fail(res, failure.kind, failure.o);
    if (path.startsWith('/webhooks/')) return this.#webhook(method, path, body, res);
    if (this.token !== undefined && req.headers.authorization !== `Bot ${this.token}`) {
      return json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    this.#route(method, path, body, res);
  }

  #route(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    const post = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && post) return json(res, 200, this.#create(post[1]!, body));
    const patch = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (method === 'PATCH' && patch) {
      const existing = this.#messages.get(`${patch[1]}/${patch[2]}`);
      if (!existing) return json(res, 404, { message: 'Unknown Message', code: 10008 });
      const updated = { ...existing, ...body, edited_timestamp: new Date().toISOString() };
      this.#messages.set(`${patch[1]}/${patch[2]}`, updated);
      return json(res, 200, updated);
    }
    const commands = /^\/applications\/(\d+)\/commands$/.exec(path);
    if (method === 'PUT' && commands && Array.isArray(this.#lastJson)) {
      return json(res, 200, (this.#lastJson as Record<string, unknown>[]).map((c) => ({ id: this.#snowflake(), application_id: commands[1], version: '1', ...c })));
    }
    json(res, 404, { message: '404: Not Found', code: 0 });
  }

  /** Follow-ups and edits of an interaction's original response (webhook owned by the application). */
  #webhook(method: string, rawPath: string, body: Record<string, unknown>, res: ServerResponse): void {
    // discord.js sends `@original` percent-encoded.
    const path = decodeURIComponent(rawPath);
    const followUp = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    if (method === 'POST' && followUp) return json(res, 200, this.#create(`hook-${followUp[2]}`, body));
    const original = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path);
    if (method === 'PATCH' && original) return json(res, 200, { id: this.#snowflake(), ...body, edited_timestamp: new Date().toISOString() });
    json(res, 404, { message: 'Unknown Webhook', code: 10015 });
  }

  #create(channelId: string, body: Record<string, unknown>): Record<string, unknown> {
    const id = this.#snowflake();
    const reference = body.message_reference as { message_id?: string } | undefined;
    const message = {
      id,
      type: reference ? 19 : 0,
      channel_id: channelId,
      author: { id: '1000000000000000001', username: 'hookbridge', bot: true },
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...(reference ? { message_reference: { ...reference, channel_id: channelId } } : {}),
    };
    this.#messages.set(`${channelId}/${id}`, message);
    return message;
  }

  #fail(res: ServerResponse, kind: DiscordFailureKind, o: DiscordFailureOptions): void {
    if (kind === 'hang') return;
    if (kind === 'rate_limit') {
      const retryAfter = o.retryAfterSec ?? 1;
      res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
      res.setHeader('X-RateLimit-Scope', o.global ? 'global' : 'user');
      if (o.global) res.setHeader('X-RateLimit-Global', 'true');
      return json(res, 429, { message: 'You are being rate limited.', retry_after: retryAfter, global: o.global ?? false });
    }
    if (kind === 'api_error') {
      return json(res, o.status ?? 400, { message: o.message ?? 'Invalid Form Body', code: o.code ?? 50035 });
    }
    json(res, o.status ?? 500, { message: '500: Internal Server Error', code: 0 });
  }

  #snowflake(): string {
    this.#seq += 1n;
    return String(((BigInt(Date.now()) - discordEpoch) << 22n) | (this.#seq & 0xfffn));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
