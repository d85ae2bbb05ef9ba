import { cidrProblems } from './cidr-check.js';
import { formatPath, type Problem } from './errors.js';
import { targetPattern } from './schema.js';

type Path = PropertyKey[];
type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (path: Path, message: string): Problem => ({ path, message: `${formatPath(path)}: ${message}` });

/**
 * Checks that span sections: routes must name configured sources, targets need their platform configured.
 * Runs on the interpolated document even when the schema failed, so one run reports everything it can.
 */
export function crossCheck(raw: unknown): Problem[] {
  if (!isRecord(raw)) return [];
  const sources = new Set(isRecord(raw.sources) ? Object.keys(raw.sources) : []);
  const platforms = configuredPlatforms(raw);
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  asList(raw.routes).forEach((route, i) => {
    if (!isRecord(route)) return;
    problems.push(...matcherSources(route.match, ['routes', i, 'match'], sources));
    problems.push(...targetPlatforms(route.to, ['routes', i, 'to'], platforms));
    if (typeof route.name !== 'string') return;
    const first = names.get(route.name);
    if (first === undefined) names.set(route.name, i);
    else problems.push(at(['routes', i, 'name'], `"${route.name}" is already the name of routes[${first}]`));
  });
  if (isRecord(raw.alerts)) problems.push(...targetPlatforms(raw.alerts.to, ['alerts', 'to'], platforms));
  problems.push(...cidrProblems(raw));
  return problems;
}

function configuredPlatforms(raw: Raw): Set<string> {
  const on = new Set(['console']);
  for (const p of ['slack', 'discord']) {
    const block = raw[p];
    if (isRecord(block) && typeof block.token === 'string' && block.token.trim() !== '') on.add(p);
  }
  return on;
}

function targetPlatforms(to: unknown, path: Path, platforms: Set<string>): Problem[] {
  return asList(to).flatMap((t, j) => {
    // A malformed target already has its schema error.
    if (typeof t !== 'string' || !targetPattern.test(t)) return [];
    const platform = t.split(':', 1)[0]!;
    if (platform === 'console' || !['slack', 'discord'].includes(platform) || platforms.has(platform)) return [];
    const message = `target "${t}" needs ${platform}.token: ${platform} is not configured (or its token is empty)`;
    return [at([...path, j], message)];
  });
}

/** Literal source names must exist; globs are allowed to match nothing yet. */
function matcherSources(matcher: unknown, path: Path, sources: Set<string>): Problem[] {
  if (!isRecord(matcher)) return [];
  const out: Problem[] = [];
  const check = (name: unknown, where: Path) => {
    if (typeof name !== 'string' || name.includes('*') || sources.has(name)) return;
    const known = [...sources].sort().join(', ') || 'none are configured';
    out.push(at(where, `unknown source "${name}" (sources: ${known})`));
  };
  if (Array.isArray(matcher.source)) matcher.source.forEach((s, k) => check(s, [...path, 'source', k]));
  else check(matcher.source, [...path, 'source']);
  asList(matcher.any).forEach((m, k) => out.push(...matcherSources(m, [...path, 'any', k], sources)));
  out.push(...matcherSources(matcher.not, [...path, 'not'], sources));
  return out;
}
