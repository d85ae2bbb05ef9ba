import type Router from '@koa/router';

export interface HealthDeps {
  /** Resolves with nothing when ready, or the reason it is not (config missing, store unreachable). */
  readonly readiness: () => Promise<string | undefined>;
}

export function mountHealth(router: Router, deps: HealthDeps): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const problem = await deps.readiness().catch((err: unknown) => (err instanceof Error ? err.message : 'not ready'));
    ctx.status = problem === undefined ? 200 : 503;
    ctx.body = problem === undefined ? { status: 'ready' } : { status: 'not ready', error: problem };
  });
}
