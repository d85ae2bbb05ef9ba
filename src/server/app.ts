import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { Logger } from '../lib/log.js';
import { errorHandler } from './error-handler.js';
import { mountHealth, type HealthDeps } from './health.js';
import { hooksMiddleware, type HooksDeps } from './hooks.js';
import type { Metrics } from './metrics.js';

export interface AppDeps extends Omit<HooksDeps, 'clientIp'>, HealthDeps {
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly clientIp?: (ctx: Context) => string;
  /** Further routers (Slack events, Discord interactions) mounted beside the core ones. */
  readonly extraRouters?: readonly Router[];
}

const peerAddress = (ctx: Context) => ctx.req.socket?.remoteAddress ?? '';

/** The HTTP app, without listening: `createApp(deps).callback()` serves tests and the server alike. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Koa would print every error itself; the error handler has already logged what matters.
  app.silent = true;
  const router = new Router();
  mountHealth(router, deps);
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  app.use(errorHandler(deps.log));
  app.use(hooksMiddleware({ ...deps, clientIp: deps.clientIp ?? peerAddress }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  for (const r of deps.extraRouters ?? []) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
