import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { ChatError, type FailureReason } from './target.js';

/**
 * The one place that decides what a chat failure means for delivery: a closed reason (also the
 * metric label), whether trying again can help, and how long the platform asked us to wait.
 * Both SDKs are configured not to retry, so every answer they get reaches this function.
 */
export function classify(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  const verdict = slackVerdict(err) ?? discordVerdict(err) ?? transportVerdict(err);
  if (verdict) return make(verdict, err);
  return make({ reason: 'client_error', retryable: false, text: describe(err) }, err);
}

/** Runs a chat call and rethrows whatever it throws as a classified ChatError. */
export async function surfaced<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classify(err);
  }
}

interface Verdict {
  reason: FailureReason;
  retryable: boolean;
  retryAfterMs?: number;
  text: string;
}

/** Decision for an HTTP status; undefined for 1xx/2xx, which are not failures. */
export function classifyStatus(status: number): { reason: FailureReason; retryable: boolean } | undefined {
  if (status < 300) return undefined;
  if (status === 401 || status === 403) return { reason: 'auth_error', retryable: false };
  if (status === 404 || status === 410) return { reason: 'not_found', retryable: false };
  if (status === 408) return { reason: 'timeout', retryable: true };
  if (status === 413) return { reason: 'invalid_message', retryable: false };
  // 425 Too Early: the request was fine, the server wants it later.
  if (status === 425) return { reason: 'client_error', retryable: true };
  if (status === 429) return { reason: 'rate_limited', retryable: true };
  if (status >= 500 && status < 600) return { reason: 'server_error', retryable: true };
  return { reason: 'client_error', retryable: false };
}

// https://docs.slack.dev/reference/methods/chat.postMessage#errors (and chat.update)
const slackPlatformErrors: Record<string, FailureReason> = {
  invalid_auth: 'auth_error', not_authed: 'auth_error', account_inactive: 'auth_error',
  token_revoked: 'auth_error', token_expired: 'auth_error', no_permission: 'auth_error',
  missing_scope: 'auth_error', not_allowed_token_type: 'auth_error', access_denied: 'auth_error',
  ekm_access_denied: 'auth_error', team_access_not_granted: 'auth_error', restricted_action: 'auth_error',
  channel_not_found: 'not_found', message_not_found: 'not_found', thread_not_found: 'not_found',
  not_in_channel: 'not_found', is_archived: 'not_found',
  msg_too_long: 'invalid_message', msg_blocks_too_long: 'invalid_message', no_text: 'invalid_message',
  invalid_blocks: 'invalid_message', invalid_blocks_format: 'invalid_message',
  too_many_attachments: 'invalid_message', invalid_attachments: 'invalid_message',
  invalid_arguments: 'invalid_message', invalid_arg_name: 'invalid_message',
  ratelimited: 'rate_limited', rate_limited: 'rate_limited',
  internal_error: 'server_error', fatal_error: 'server_error', service_unavailable: 'server_error',
  // "intermittently unavailable until the transition is complete": passing by Slack's own words.
  team_added_to_org: 'server_error',
  request_timeout: 'timeout',
};
const retryableReasons: ReadonlySet<FailureReason> = new Set(['rate_limited', 'server_error', 'timeout', 'network']);

function slackVerdict(err: unknown): Verdict | undefined {
  if (err instanceof WebAPIRateLimitedError) {
    return { reason: 'rate_limited', retryable: true, retryAfterMs: err.retryAfter * 1000, text: `slack: rate limited, retry after ${err.retryAfter}s` };
  }
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    const reason = slackPlatformErrors[code] ?? 'client_error';
    const retryAfter = err.data.response_metadata?.retryAfter;
    return {
      reason,
      retryable: retryableReasons.has(reason),
      ...(reason === 'rate_limited' && retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
      text: `slack: ${code}`,
    };
  }
  if (err instanceof WebAPIHTTPError) return fromStatus(err.statusCode, 'slack', retryAfterHeader(err.headers));
  if (err instanceof WebAPIRequestError) {
    // The request got no HTTP answer at all (refused, reset, a proxy speaking broken HTTP): passing.
    const inner: Verdict = transportVerdict(err.original) ?? { reason: 'network', retryable: true, text: `network error (${describe(err.original)})` };
    return { ...inner, text: `slack: ${inner.text}` };
  }
  const unreadable = slackUnreadableRetryAfter(err);
  if (unreadable) return unreadable;
  return undefined;
}

/**
 * WebClient answers a 429 whose Retry-After is not a number of seconds (an HTTP date, or none, as
 * a proxy may send) with a plain Error. It is still a rate limit; an HTTP date is honoured.
 */
function slackUnreadableRetryAfter(err: unknown): Verdict | undefined {
  if (!(err instanceof Error) || err.constructor !== Error) return undefined;
  const m = /^Retry header did not contain a valid timeout \(url: .*, retry-after header: (.*)\)$/s.exec(err.message);
  if (!m) return undefined;
  const at = Date.parse(m[1]!);
  const retryAfterMs = Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
  return {
    reason: 'rate_limited',
    retryable: true,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    text: `slack: rate limited, unreadable Retry-After ${JSON.stringify(m[1]!.slice(0, 40))}`,
  };
}

// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
const discordCodes: Record<number, FailureReason> = {
  10003: 'not_found', // Unknown channel
  10008: 'not_found', // Unknown message
  50001: 'auth_error', // Missing access
  50013: 'auth_error', // Missing permissions
  50035: 'invalid_message', // Invalid form body
};

function discordVerdict(err: unknown): Verdict | undefined {
  if (err instanceof RateLimitError) {
    const waitMs = Math.max(err.retryAfter, err.timeToReset, 0);
    const scope = err.global ? 'global' : err.scope;
    return { reason: 'rate_limited', retryable: true, retryAfterMs: waitMs, text: `discord: rate limited (${scope}), retry after ${waitMs}ms` };
  }
  if (err instanceof DiscordAPIError) {
    const known = typeof err.code === 'number' ? discordCodes[err.code] : undefined;
    const base = fromStatus(err.status, 'discord');
    const reason = known ?? base.reason;
    return { reason, retryable: known ? retryableReasons.has(known) : base.retryable, text: `discord: ${err.status} ${err.code} ${firstLine(err.message)}` };
  }
  if (err instanceof HTTPError) return fromStatus(err.status, 'discord');
  return undefined;
}

const networkCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENETDOWN', 'EADDRNOTAVAIL', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);
const timeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Timeouts and network failures, found on the error or anywhere down its `cause` chain (fetch wraps them). */
function transportVerdict(err: unknown): Verdict | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.name === 'AbortError' || e.name === 'TimeoutError' || (typeof code === 'string' && timeoutCodes.has(code))) {
      return { reason: 'timeout', retryable: true, text: `timeout (${typeof code === 'string' ? code : e.name})` };
    }
    // HPE_*: the answer was not HTTP (a proxy or load balancer in trouble), as passing as a reset.
    if (typeof code === 'string' && (networkCodes.has(code) || code.startsWith('HPE_'))) {
      return { reason: 'network', retryable: true, text: `network error (${code})` };
    }
  }
  return undefined;
}

function fromStatus(status: number, platform: string, retryAfterMs?: number): Verdict {
  const decision = classifyStatus(status) ?? { reason: 'client_error' as const, retryable: false };
  return {
    ...decision,
    ...(decision.reason === 'rate_limited' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    text: `${platform}: HTTP ${status}`,
  };
}

function retryAfterHeader(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function make(v: Verdict, cause: unknown): ChatError {
  return new ChatError(redact(v.text), v.reason, v.retryable, v.retryAfterMs, { cause });
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${firstLine(err.message)}` : String(err);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.slice(0, 200);
}

/** Error text ends up in dead letters, logs and chat; tokens must never be part of it. */
export function redact(text: string): string {
  return text
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-***')
    .replace(/\b(Bot|Bearer)\s+[\w.-]+/g, '$1 ***')
    .replace(/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}\b/g, '***');
}
