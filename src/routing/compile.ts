import type { ActionNameConfig, Matcher, RouteConfig } from '../config/schema.js';
import { nameTest } from './pattern.js';
import { compileWhere } from './where.js';

export type ActionName = ActionNameConfig;

/** What a route is matched against: a verified, described event. */
export interface RoutableEvent {
  readonly source: string;
  readonly type: string;
  readonly payload: unknown;
}

export type EventTest = (event: RoutableEvent) => boolean;

export interface CompiledRoute {
  /** The route's name, or `#<index>` for an unnamed one (its place in the config). */
  readonly name: string;
  readonly test: EventTest;
  readonly targets: readonly string[];
  readonly template?: string;
  readonly actions: readonly ActionName[];
  readonly thread: 'update' | 'reply' | 'new';
  readonly continue: boolean;
}

/** Build every glob, regex and path reader once per config, so matching an event does no compiling. */
export function compileRoutes(routes: readonly RouteConfig[]): CompiledRoute[] {
  return routes.map((r, i) => ({
    name: r.name ?? `#${i}`,
    test: compileMatcher(r.match),
    targets: [...r.to],
    ...(r.template === undefined ? {} : { template: r.template }),
    actions: [...r.actions],
    thread: r.thread,
    continue: r.continue,
  }));
}

/** Every part given must hold; an empty matcher holds for everything. */
export function compileMatcher(m: Matcher): EventTest {
  const tests: EventTest[] = [];
  if (m.source !== undefined) {
    const t = nameTest(m.source);
    tests.push((e) => t(e.source));
  }
  if (m.event !== undefined) {
    const t = nameTest(m.event);
    tests.push((e) => t(e.type));
  }
  if (m.where !== undefined) {
    const t = compileWhere(m.where);
    tests.push((e) => t(e.payload));
  }
  if (m.any !== undefined) {
    const alternatives = m.any.map(compileMatcher);
    tests.push((e) => alternatives.some((t) => t(e)));
  }
  if (m.not !== undefined) {
    const t = compileMatcher(m.not);
    tests.push((e) => !t(e));
  }
  return (e) => tests.every((t) => t(e));
}
