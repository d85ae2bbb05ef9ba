import type { Context, Next } from 'koa';
import type { Logger } from '../lib/log.js';
import { HttpError } from './http-error.js';

/**
 * Every error becomes `{ "error": "..." }` with its status. Messages of exposed (4xx) errors are
 * written for the client and carry no secrets; anything else is logged and answered generically.
 */
export function errorHandler(log: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      // Statuses set without a body (404 for unknown paths, 405 from the router) get the JSON shape too.
      if (ctx.status >= 400 && !ctx.body) {
        const status = ctx.status;
        ctx.body = { error: status === 404 ? 'not found' : ctx.message.toLowerCase() };
        // Koa turns an implicit 404 into 200 when a body is set; the status stays what it was.
        ctx.status = status;
        closeUnread(ctx);
      }
    } catch (err) {
      closeUnread(ctx);
      const known = err instanceof HttpError ? err : undefined;
      const status = known?.status ?? (isHttpish(err) ? err.status : 500);
      if (!known && status >= 500) log.error({ err }, 'request failed');
      ctx.status = status;
      ctx.set(known?.headers ?? {});
      if (isHttpish(err) && err.headers) ctx.set(err.headers);
      const exposed = known ? known.expose : status < 500;
      ctx.body = { error: exposed && err instanceof Error ? err.message : status >= 500 ? 'internal error' : 'request refused' };
    }
  };
}

/** Up to this much of a refused body is read and dropped to keep the connection; more, and it is closed. */
const MAX_DRAIN = 64 * 1024;

/**
 * A refusal answered before a large or chunked body has arrived (404, 405, 403, 429, 415, 413) ends
 * the connection: to keep it alive Node reads and discards the rest of the body, however large, so
 * refusing a sender would still cost the read it was meant to spare. A small declared body is kept:
 * draining it is cheaper than the client's reconnect, and it has usually come with the headers.
 */
function closeUnread(ctx: Context): void {
  const req = ctx.req;
  if (req.complete) return;
  const declared = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (declared === undefined || Number(declared) <= MAX_DRAIN)) return;
  ctx.set('connection', 'close');
}

/** Errors thrown by Koa and its router (`ctx.throw`, 405 from allowedMethods) carry a status of their own. */
function isHttpish(err: unknown): err is { status: number; headers?: Record<string, string> } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}
