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
      }
    } catch (err) {
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

/** Errors thrown by Koa and its router (`ctx.throw`, 405 from allowedMethods) carry a status of their own. */
function isHttpish(err: unknown): err is { status: number; headers?: Record<string, string> } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}
