import type { Context, Middleware } from 'koa';
import type { Logger } from '../lib/log.js';
import { ingest, type IngestDeps } from '../pipeline/ingest.js';
import type { ConfiguredSource, Runtime } from '../pipeline/runtime.js';
import type { RawRequest } from '../sources/types.js';
import { HttpError } from './http-error.js';
import type { InboundGuards } from './inbound-guards.js';
import type { Metrics } from './metrics.js';
import { readRawBody } from './raw-body.js';

export interface HooksDeps extends IngestDeps {
  readonly runtime: () => Runtime;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly clientIp: (ctx: Context) => string;
  /** Allowlist and rate limits of the current config version; none when absent. */
  readonly guards?: () => InboundGuards;
  /** Told about each request that failed authentication on a known source (ops alerts watch for bursts). */
  readonly onAuthFailure?: (source: string, ip: string) => void;
}

const HOOK_PATH = /^\/hooks\/([^/]+)\/?$/;

/**
 * `POST /hooks/:sourceId`: the inbound path, in the order the contract gives its statuses.
 * A middleware of its own in front of the router: every webhook takes this path, and matching one
 * pattern here costs less than the router's dispatch; other methods on the path get 405.
 */
export function hooksMiddleware(deps: HooksDeps): Middleware {
  // The lines written here carry fixed fields that never hold a credential (source, event id, type,
  // outcome, address, status), so they skip the logger's redaction pass, which costs more than
  // writing the line and ran once for every webhook.
  const log = deps.log.child({}, { redact: [] });
  return async (ctx, next) => {
    const match = HOOK_PATH.exec(ctx.path);
    if (!match) return next();
    const sourceId = decodeParam(match[1]!);
    const started = process.hrtime.bigint();
    const runtime = deps.runtime();
    const source = sourceId === undefined ? undefined : runtime.sources.get(sourceId);
    if (ctx.method !== 'POST') {
      const allow = ['POST', ...(source?.type.methods ?? [])].join(', ');
      if (ctx.method === 'OPTIONS') return void (ctx.set('allow', allow), (ctx.status = 204));
      if (!source?.type.methods?.includes(ctx.method)) throw new HttpError(405, 'method not allowed', 'method_not_allowed', { allow });
    }
    const label = source?.id ?? 'unknown';
    // Read now: a refused body can close the socket before the answer is logged.
    const ip = deps.clientIp(ctx);
    const guards = deps.guards?.();
    deps.metrics.received.inc({ source: label });
    try {
      if (!source) throw new HttpError(404, 'unknown source', 'unknown_source');
      // Before the body is read or verified: a refused sender or a forged flood costs a lookup, not a read and an HMAC.
      guards?.allowlist.check(source.id, ip);
      await guards?.rateLimits.admit(source.id, ip);
      const req = await readRequest(ctx, runtime, source, ip);
      const result = await ingest(deps, runtime, source, req);
      deps.metrics.inbound.inc({ source: label, outcome: result.outcome });
      ctx.status = result.outcome === 'accepted' ? 202 : 200;
      // Serialised here with its type set, so Koa has no type to look up for every answer.
      ctx.set('content-type', 'application/json; charset=utf-8');
      ctx.body = JSON.stringify({ status: result.outcome, id: result.event.id, type: result.event.type, jobs: result.jobs });
      log.info({ source: source.id, eventId: result.event.id, type: result.event.type, outcome: result.outcome, jobs: result.jobs }, 'webhook');
    } catch (err) {
      const code = err instanceof HttpError ? err.code : 'internal_error';
      deps.metrics.inbound.inc({ source: label, outcome: code });
      if (source && err instanceof HttpError && err.status === 401) {
        await guards?.rateLimits.authFailed(source.id, ip);
        deps.onAuthFailure?.(source.id, ip);
      }
      // 403 and 429 come in floods from blocked senders: kept at debug (the limiter logs each block once).
      if (err instanceof HttpError && (err.status === 403 || err.status === 429)) log.debug({ source: label, ip, status: err.status, reason: code }, 'webhook refused');
      else if (err instanceof HttpError && err.status < 500) log.warn({ source: label, ip, status: err.status, reason: code }, 'webhook refused');
      throw err;
    } finally {
      deps.metrics.ingestSeconds.observe({ source: label }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

function decodeParam(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

async function readRequest(ctx: Context, runtime: Runtime, source: ConfiguredSource, ip: string): Promise<RawRequest> {
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!source.contentTypes.has(type)) {
    // The type sent is not repeated: error bodies carry nothing the client chose.
    throw new HttpError(415, `unsupported content type (expected ${[...source.contentTypes].join(' or ')})`, 'unsupported_media_type');
  }
  const body = await readRawBody(ctx.req, runtime.config.server.bodyLimit);
  const publicUrl = runtime.config.server.publicUrl;
  let url: URL | undefined;
  return {
    sourceId: source.id,
    method: ctx.method,
    // Built on first use: only the providers that sign the URL read it, and parsing one costs
    // more than the rest of this object on a path that runs for every webhook.
    get url() {
      return (url ??= new URL(ctx.originalUrl, publicUrl ?? `${ctx.protocol}://${ctx.host || 'localhost'}`));
    },
    headers: ctx.req.headers as Record<string, string | undefined>,
    body,
    ip,
  };
}
