type Scalar = string | number | boolean | null;
type ValueTest = (actual: unknown) => boolean;
/** Every value the path reaches in a payload: more than one when it passes through arrays. */
type PathReader = (payload: unknown) => unknown[];

/**
 * `where:` — every dotted path must hold. A value is compared with its string form (YAML `200` matches JSON "200",
 * `true` matches "true"); a list means any of; a string starting `~` is a regular expression; a path through an
 * array holds when any element does, so `labels.name: bug` works on a list of label objects.
 */
export function compileWhere(where: Readonly<Record<string, Scalar | readonly Scalar[]>>): (payload: unknown) => boolean {
  const checks = Object.entries(where).map(([path, expected]) => {
    const read = pathReader(path);
    const test = valueTest(expected);
    return (payload: unknown) => read(payload).some(test);
  });
  return (payload) => checks.every((c) => c(payload));
}

function valueTest(expected: Scalar | readonly Scalar[]): ValueTest {
  if (!Array.isArray(expected)) return scalarTest(expected as Scalar);
  const tests = expected.map(scalarTest);
  return (actual) => tests.some((t) => t(actual));
}

function scalarTest(expected: Scalar): ValueTest {
  if (expected === null) return (actual) => actual === null || actual === undefined;
  if (typeof expected === 'string' && expected.startsWith('~')) {
    const re = new RegExp(expected.slice(1));
    return (actual) => isPrimitive(actual) && re.test(String(actual));
  }
  const want = String(expected);
  return (actual) => isPrimitive(actual) && String(actual) === want;
}

const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function pathReader(path: string): PathReader {
  const segments = path.split('.');
  return (payload) => {
    const out: unknown[] = [];
    collect(payload, segments, 0, out);
    // Nothing reached means "absent", which `null` matches and every other value does not.
    return out.length > 0 ? out : [undefined];
  };
}

/**
 * Walk `segments` from `i`. Arrays fan out (unless the segment is an index), and a key that itself contains dots
 * (`app.kubernetes.io/name` in alert labels) is tried as a whole before it is split.
 */
function collect(node: unknown, segments: readonly string[], i: number, out: unknown[]): void {
  if (i === segments.length) {
    if (Array.isArray(node)) out.push(...node);
    else out.push(node);
    return;
  }
  if (Array.isArray(node)) {
    const seg = segments[i]!;
    if (/^\d+$/.test(seg)) collect(node[Number(seg)], segments, i + 1, out);
    else for (const item of node) collect(item, segments, i, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (let j = segments.length; j > i; j--) {
    const key = segments.slice(i, j).join('.');
    if (Object.hasOwn(record, key)) collect(record[key], segments, j, out);
  }
}
