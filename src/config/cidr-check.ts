import { isIP } from 'node:net';
import { formatPath, type Problem } from './errors.js';

/** Why an `allow`/`trustProxy` entry is not an address or CIDR block, or undefined when it is. */
export function cidrProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return 'expected an address or CIDR block such as 192.0.2.0/24';
  const [addr = '', prefix, extra] = entry.trim().split('/');
  const family = isIP(addr.replace(/^\[|\]$/g, ''));
  if (family === 0 || extra !== undefined) return `"${entry}" is not an address or CIDR block (e.g. 192.0.2.0/24, 2001:db8::/32)`;
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  const max = family === 4 ? 32 : 128;
  return /^\d+$/.test(prefix) && bits <= max ? undefined : `"${entry}": the prefix length must be 0 to ${max}`;
}

/** Checks every `sources.<id>.allow` and `server.trustProxy` entry, pointing at the bad one. */
export function cidrProblems(raw: Record<string, unknown>): Problem[] {
  const lists: { path: PropertyKey[]; list: unknown }[] = [];
  const server = raw.server as Record<string, unknown> | undefined;
  if (server && Array.isArray(server.trustProxy)) lists.push({ path: ['server', 'trustProxy'], list: server.trustProxy });
  const sources = raw.sources as Record<string, Record<string, unknown> | null> | undefined;
  for (const [id, s] of Object.entries(sources ?? {})) {
    if (s && Array.isArray(s.allow)) lists.push({ path: ['sources', id, 'allow'], list: s.allow });
  }
  const problems: Problem[] = [];
  for (const { path, list } of lists) {
    (list as unknown[]).forEach((entry, i) => {
      const message = cidrProblem(entry);
      if (message) problems.push({ path: [...path, i], message: `${formatPath([...path, i])}: ${message}` });
    });
  }
  return problems;
}
