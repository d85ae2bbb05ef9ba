/** Value at a dotted path (`data.object.id`, `alerts.0.fingerprint`); undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A string or finite number at a path, as text; undefined for anything else (objects, '', null). */
export function readText(value: unknown, path: string): string | undefined {
  const found = readPath(value, path);
  if (typeof found === 'string') return found === '' ? undefined : found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}
