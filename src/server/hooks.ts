import type Router from '@koa/router';
import type { Context } from 'koa';
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

/** `POST /hooks/:sourceId`: the inbound path, in the order the contract gives its statuses. */
export function mountHooks(router: Router, deps: HooksDeps): void {
  router.post('/hooks/:sourceId', async (ctx) => {
    const started = process.hrtime.bigint();
    const runtime = deps.runtime();
    const source = runtime.sources.get(ctx.params.sourceId!);
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
      ctx.body = { status: result.outcome, id: result.event.id, type: result.event.type, jobs: result.jobs };
      deps.log.info({ source: source.id, eventId: result.event.id, type: result.event.type, outcome: result.outcome, jobs: result.jobs }, 'webhook');
    } catch (err) {
      const code = err instanceof HttpError ? err.code : 'internal_error';
      deps.metrics.inbound.inc({ source: label, outcome: code });
      if (source && err instanceof HttpError && err.status === 401) {
        await guards?.rateLimits.authFailed(source.id, ip);
        deps.onAuthFailure?.(source.id, ip);
      }
      // 403 and 429 come in floods from blocked senders: kept at debug (the limiter logs each block once).
      if (err instanceof HttpError && (err.status === 403 || err.status === 429)) deps.log.debug({ source: label, ip, status: err.status, reason: code }, 'webhook refused');
      else if (err instanceof HttpError && err.status < 500) deps.log.warn({ source: label, ip, status: err.status, reason: code }, 'webhook refused');
      throw err;
    } finally {
      deps.metrics.ingestSeconds.observe({ source: label }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
}

async function readRequest(ctx: Context, runtime: Runtime, source: ConfiguredSource, ip: string): Promise<RawRequest> {
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!source.contentTypes.has(type)) {
    throw new HttpError(415, `unsupported content type "${type || 'none'}" (expected ${[...source.contentTypes].join(' or ')})`, 'unsupported_media_type');
  }
  const body = await readRawBody(ctx.req, runtime.config.server.bodyLimit);
  const base = runtime.config.server.publicUrl ?? `${ctx.protocol}://${ctx.host || 'localhost'}`;
  return {
    sourceId: source.id,
    method: ctx.method,
    url: new URL(ctx.originalUrl, base),
    headers: ctx.req.headers as Record<string, string | undefined>,
    body,
    ip,
  };
}
