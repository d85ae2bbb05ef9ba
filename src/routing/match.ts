import type { ActionName, CompiledRoute, RoutableEvent } from './compile.js';

export interface RouteMatch {
  /** Route name, or `#<index>` for an unnamed route. */
  readonly route: string;
  readonly targets: string[];
  readonly template?: string;
  readonly actions: ActionName[];
  readonly thread: 'update' | 'reply' | 'new';
}

/** Routes in order; the first match ends the search unless it says `continue: true`. Pure. */
export function matchRoutes(compiled: readonly CompiledRoute[], event: RoutableEvent): RouteMatch[] {
  const out: RouteMatch[] = [];
  for (const r of compiled) {
    if (!r.test(event)) continue;
    out.push({
      route: r.name,
      targets: [...r.targets],
      ...(r.template === undefined ? {} : { template: r.template }),
      actions: [...r.actions],
      thread: r.thread,
    });
    if (!r.continue) break;
  }
  return out;
}
