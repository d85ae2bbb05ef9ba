import Router from '@koa/router';
import { REST } from '@discordjs/rest';
import { HttpError } from '../server/http-error.js';
import { readRawBody } from '../server/raw-body.js';
import { parseTimestamp } from '../sources/verify/timestamped.js';
import { APPLICATION_COMMAND, discordInteraction, MESSAGE_COMPONENT, PING, type DiscordInteractionPayload } from './discord.js';
import { verifyDiscord } from './discord-verify.js';
import type { Interaction } from './interaction.js';

export interface DiscordSettings {
  readonly publicKey?: string;
  readonly apiUrl?: string;
}

export interface DiscordReceiverOptions {
  /** Read per request, so a config reload takes effect at once. */
  readonly settings: () => DiscordSettings | undefined;
  readonly bodyLimit: () => number;
  /** Takes the interaction after Discord has its answer; the work runs only if `first` says the request is new. */
  readonly dispatch: (ix: Interaction, first?: () => Promise<boolean>) => void;
  /** True the first time a signed body is seen. */
  readonly firstDelivery?: (body: Buffer) => Promise<boolean>;
  readonly now?: () => Date;
  readonly timeoutMs: number;
}

/**
 * Discord documents no window for `X-Signature-Timestamp`, but an interaction's token lives 15
 * minutes: an older request can only be a replay of a captured one. A little skew is allowed ahead.
 */
const MAX_AGE_S = 15 * 60;
const MAX_AHEAD_S = 5 * 60;

function outsideWindow(timestamp: string, now: Date): 'malformed' | 'stale' | 'future' | undefined {
  const at = parseTimestamp(timestamp);
  if (at === undefined) return 'malformed';
  const age = (now.getTime() - at) / 1000;
  if (age > MAX_AGE_S) return 'stale';
  if (age < -MAX_AHEAD_S) return 'future';
  return undefined;
}

// Interaction response types (discord-api-docs, receiving-and-responding).
const PONG = 1;
const DEFERRED_CHANNEL_MESSAGE = 5;
const DEFERRED_UPDATE_MESSAGE = 6;
const EPHEMERAL = 64;

function restCache(o: DiscordReceiverOptions): () => REST {
  let cached: { api: string; rest: REST } | undefined;
  return () => {
    const api = o.settings()?.apiUrl ?? 'https://discord.com/api';
    if (cached?.api !== api) cached = { api, rest: new REST({ api, retries: 1, timeout: o.timeoutMs }) };
    return cached.rest;
  };
}

function parse(body: Buffer): DiscordInteractionPayload {
  try {
    const p = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof p === 'object' && p !== null && !Array.isArray(p)) return p as DiscordInteractionPayload;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'request body is not a Discord interaction', 'malformed_json');
}

/**
 * `POST /discord/interactions`: raw body → Ed25519 (401) → PING gets PONG; buttons and
 * commands get a deferred answer at once and the work runs after, through the interaction webhook.
 */
export function createDiscordRouter(o: DiscordReceiverOptions): Router {
  const router = new Router();
  const rest = restCache(o);
  router.post('/discord/interactions', async (ctx) => {
    const s = o.settings();
    if (!s?.publicKey) throw new HttpError(404, 'Discord interactions are not configured', 'not_configured');
    const body = await readRawBody(ctx.req, o.bodyLimit());
    const failure = verifyDiscord({ publicKey: s.publicKey, body, signature: ctx.get('x-signature-ed25519') || undefined, timestamp: ctx.get('x-signature-timestamp') || undefined });
    if (failure) throw new HttpError(401, `invalid request signature (${failure})`, `auth_${failure}`);
    const late = outsideWindow(ctx.get('x-signature-timestamp'), o.now?.() ?? new Date());
    if (late) throw new HttpError(401, `request timestamp outside the allowed window (${late})`, `auth_${late}`);
    const p = parse(body);
    if (p.type === PING) return void (ctx.body = { type: PONG });
    if (p.type !== MESSAGE_COMPONENT && p.type !== APPLICATION_COMMAND) throw new HttpError(400, `unsupported interaction type ${String(p.type)}`, 'unsupported_interaction');
    const ix = discordInteraction(p, rest());
    if (!ix) throw new HttpError(400, 'interaction is missing its user, token or data', 'malformed_request');
    ctx.body = ix.kind === 'button' ? { type: DEFERRED_UPDATE_MESSAGE } : { type: DEFERRED_CHANNEL_MESSAGE, data: { flags: EPHEMERAL } };
    // Follow-ups and edits are refused until Discord has the deferred answer.
    // A captured request sent again within the window is answered but not handled a second time.
    const first = o.firstDelivery;
    ctx.res.once('close', () => o.dispatch(ix, first && (() => first(body))));
  });
  return router;
}
