import Router from '@koa/router';
import type { Context } from 'koa';
import { LogLevel, WebClient } from '@slack/web-api';
import { HttpError } from '../server/http-error.js';
import { readRawBody } from '../server/raw-body.js';
import type { Interaction } from './interaction.js';
import { slackInteraction } from './slack.js';
import { verifySlack } from './slack-verify.js';

export interface SlackSettings {
  readonly token?: string;
  readonly signingSecret?: string;
  readonly apiUrl?: string;
}

export interface SlackReceiverOptions {
  /** Read per request, so a config reload takes effect at once. */
  readonly settings: () => SlackSettings | undefined;
  readonly bodyLimit: () => number;
  readonly now: () => Date;
  /**
   * Takes the interaction after Slack has its answer; `first` answers whether this request is new
   * (false for a copy Slack sent again), and the work runs only if it is.
   */
  readonly dispatch: (ix: Interaction, first?: () => Promise<boolean>) => void;
  /** True the first time a signed body is seen. */
  readonly firstDelivery?: (body: Buffer) => Promise<boolean>;
  readonly timeoutMs: number;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** One WebClient per token and API URL, rebuilt only when the config changes them. */
function clientCache(o: SlackReceiverOptions): () => WebClient | undefined {
  let cached: { key: string; client: WebClient } | undefined;
  return () => {
    const s = o.settings();
    if (!s?.token) return undefined;
    const apiUrl = withSlash(s.apiUrl ?? 'https://slack.com/api/');
    const key = `${s.token}\u0000${apiUrl}`;
    if (cached?.key !== key) {
      cached = { key, client: new WebClient(s.token, { slackApiUrl: apiUrl, timeout: o.timeoutMs, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR }) };
    }
    return cached.client;
  };
}

/**
 * `POST /slack/events`: raw body → verify (401) → parse (400) → answer 200 at once → the work
 * runs after, reporting through chat.postEphemeral, the thread or the response_url.
 */
export function createSlackRouter(o: SlackReceiverOptions): Router {
  const router = new Router();
  const client = clientCache(o);
  router.post('/slack/events', async (ctx) => {
    const s = o.settings();
    if (!s?.signingSecret) throw new HttpError(404, 'Slack interactions are not configured', 'not_configured');
    const body = await readRawBody(ctx.req, o.bodyLimit());
    const failure = verifySlack(
      { signingSecret: s.signingSecret, body, signature: ctx.get('x-slack-signature') || undefined, timestamp: ctx.get('x-slack-request-timestamp') || undefined },
      o.now().getTime(),
    );
    if (failure) throw new HttpError(401, `Slack request authentication failed (${failure})`, `auth_${failure}`);
    if (ctx.is('application/json')) return answerJson(ctx, body);
    const ix = slackInteraction(new URLSearchParams(body.toString('utf8')), client);
    if (ix === 'malformed') throw new HttpError(400, 'not a Slack slash command or interaction payload', 'malformed_request');
    ctx.status = 200;
    ctx.body = '';
    // Slack must have its answer first; the work and its replies come after.
    const first = o.firstDelivery;
    if (ix) ctx.res.once('close', () => o.dispatch(ix, first && (() => first(body))));
  });
  return router;
}

/** The Events API's URL check; other JSON events are acknowledged and ignored. */
function answerJson(ctx: Context, body: Buffer): void {
  let parsed: { type?: unknown; challenge?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'malformed_json');
  }
  ctx.status = 200;
  ctx.body = parsed.type === 'url_verification' && typeof parsed.challenge === 'string' ? { challenge: parsed.challenge } : '';
}
