/** A compiled test on one string. */
export type StringTest = (value: string) => boolean;

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** `charge.*`, `*`, `deploy-*-prod`: `*` stands for any run of characters, dots included (`charge.*` covers `charge.dispute.created`). */
export function glob(pattern: string): StringTest {
  if (!pattern.includes('*')) return (v) => v === pattern;
  if (pattern === '*') return () => true;
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 's');
  return (v) => re.test(v);
}

/** A value, a list (any of) or a glob, as `source:` and `event:` take. */
export function nameTest(spec: string | readonly string[]): StringTest {
  const tests = (typeof spec === 'string' ? [spec] : spec).map(glob);
  return tests.length === 1 ? tests[0]! : (v) => tests.some((t) => t(v));
}
