import type { z } from 'zod';
import { formatPath, type Problem } from './errors.js';

type Issue = z.core.$ZodIssue;

/** Turn zod issues into problems, each aimed at the node it is about. */
export function issueProblems(issues: readonly Issue[], has: (path: readonly PropertyKey[]) => boolean): Problem[] {
  return issues.flatMap((i) => issueProblem(i, [], has));
}

function issueProblem(issue: Issue, base: readonly PropertyKey[], has: (p: readonly PropertyKey[]) => boolean): Problem[] {
  const path = [...base, ...issue.path];
  const where = formatPath(path);
  const say = (message: string) => (where === '' ? message : `${where}: ${message}`);
  switch (issue.code) {
    case 'unrecognized_keys':
      // One error per key, on the key itself, so an editor jumps to the typo.
      return issue.keys.map((k) => ({ path: [...path, k], atKey: true, message: say(`unknown key "${k}"`) }));
    case 'invalid_key':
      return [{ path, atKey: true, message: `${where}: ${issue.issues[0]?.message ?? 'invalid key'}` }];
    case 'invalid_union':
      return unionProblems(issue, path, has, say);
    case 'invalid_type':
      if (!has(path) && issue.expected !== 'never') {
        const parent = path.slice(0, -1);
        const key = String(path[path.length - 1]);
        return [{ path: parent, message: `${formatPath(parent) || 'config'}: missing required key "${key}"` }];
      }
      return [{ path, message: say(`expected ${issue.expected}`) }];
    case 'too_big':
    case 'too_small':
      return [{ path, message: say(boundMessage(issue)) }];
    default:
      return [{ path, message: say(tidy(issue.message)) }];
  }
}

function unionProblems(
  issue: z.core.$ZodIssueInvalidUnion,
  path: readonly PropertyKey[],
  has: (p: readonly PropertyKey[]) => boolean,
  say: (m: string) => string,
): Problem[] {
  const types = rootTypes([{ ...issue, path: [] }]);
  if (types) return [{ path, message: say(`expected ${oneOf(types)}`) }];
  // A branch that got past the top-level type check is one the author meant; the one with the fewest complaints
  // is the closest, and its issues say more than "invalid input".
  const deeper = issue.errors.filter((branch) => !rootTypes(branch));
  const closest = deeper.reduce((best, b) => (b.length < best.length ? b : best), deeper[0] ?? []);
  if (closest.length === 0) return [{ path, message: say(tidy(issue.message)) }];
  return closest.flatMap((i) => issueProblem(i, path, has));
}

/** The types a value could have had, when every branch failed on the value's own type; undefined otherwise. */
function rootTypes(issues: readonly Issue[]): string[] | undefined {
  const out: string[] = [];
  for (const i of issues) {
    if (i.path.length > 0) return undefined;
    if (i.code === 'invalid_type') out.push(i.expected);
    else if (i.code !== 'invalid_union') return undefined;
    else {
      const nested = i.errors.map(rootTypes);
      if (nested.some((n) => n === undefined)) return undefined;
      out.push(...nested.flat() as string[]);
    }
  }
  return out.length > 0 ? [...new Set(out)] : undefined;
}

const oneOf = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/** zod's messages start with a generic "Invalid input:" that says nothing the position does not. */
function tidy(message: string): string {
  return message.replace(/^Invalid (input|option|string):\s*/i, '');
}

/** zod's own bound messages read like "Too small: expected number to be >0"; a message set in the schema is kept. */
function boundMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  if (!/^Too (big|small): expected /.test(issue.message)) return issue.message;
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
  if (big && limit >= Number.MAX_SAFE_INTEGER) return 'is too large';
  const bound = big ? (issue.inclusive ? 'at most' : 'less than') : issue.inclusive ? 'at least' : 'greater than';
  const unit = issue.origin === 'array' ? ` item${limit === 1 ? '' : 's'}` : issue.origin === 'string' ? ` character${limit === 1 ? '' : 's'}` : '';
  return issue.origin === 'array' || issue.origin === 'string' ? `must have ${bound} ${limit}${unit}` : `must be ${bound} ${limit}`;
}
