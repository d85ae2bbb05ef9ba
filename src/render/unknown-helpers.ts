import type { TemplateProblem } from './template-problem.js';

type Node = {
  type?: string;
  path?: { type?: string; original?: string; parts?: string[]; data?: boolean };
  params?: unknown[];
  hash?: unknown;
  loc?: { start: { line: number; column: number } };
};

/**
 * Calls to helpers that do not exist, and partials (none are registered). Handlebars only finds
 * these when the line runs, by which time an event is waiting; `check` finds them at load.
 * `{{#name}}` without arguments is left alone: it is a section over a payload field.
 */
export function findUnknownHelpers(file: string, ast: unknown, known: ReadonlySet<string>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    const at = { line: node.loc?.start.line ?? 1, col: (node.loc?.start.column ?? 0) + 1 };
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      problems.push({ file, ...at, message: 'partials are not supported' });
    } else if (isHelperCall(node) && !known.has(node.path!.original!)) {
      problems.push({ file, ...at, message: `unknown helper "${node.path!.original}"` });
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') visit(child);
  };
  visit(ast);
  return problems;
}

function isHelperCall(node: Node): boolean {
  const callable = node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression';
  const path = node.path;
  if (!callable || path?.type !== 'PathExpression' || path.data || !/^[\w-]+$/.test(path.original ?? '')) return false;
  return (node.params?.length ?? 0) > 0 || node.hash !== undefined || node.type === 'SubExpression';
}
