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
  // A branch that got past the top-level type check is the one the author meant: report its issues, not "invalid input".
  const deeper = issue.errors.filter((branch) => branch.some((i) => i.path.length > 0 || i.code !== 'invalid_type'));
  if (deeper.length === 1) return deeper[0]!.flatMap((i) => issueProblem(i, path, has));
  const expected = issue.errors.flatMap((b) => b.filter((i) => i.code === 'invalid_type' && i.path.length === 0));
  const names = [...new Set(expected.map((i) => (i as z.core.$ZodIssueInvalidType).expected))];
  if (names.length === issue.errors.length) return [{ path, message: say(`expected ${names.join(' or ')}`) }];
  return [{ path, message: say(tidy(deeper[0]?.[0]?.message ?? issue.message)) }];
}

/** zod's messages start with a generic "Invalid input:" that says nothing the position does not. */
function tidy(message: string): string {
  return message.replace(/^Invalid (input|option|string):\s*/i, '');
}
