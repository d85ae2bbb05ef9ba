import Handlebars from 'handlebars';
import type { HandlebarsEnv } from './environment.js';
import { helperNames } from './environment.js';
import type { TemplateFile } from './lookup.js';
import type { Platform } from './message.js';
import { problemFromError, type TemplateProblem } from './template-problem.js';
import { findUnknownHelpers } from './unknown-helpers.js';

export type CompiledTemplate = Record<Platform, Handlebars.TemplateDelegate>;

export interface CompiledSet {
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  readonly problems: readonly TemplateProblem[];
}

type Lazy = Handlebars.TemplateDelegate & { _setup?: (o: object) => unknown };
type Lexer = { lexer?: { yylloc?: { first_line: number; first_column: number } } };

const COMPILE_OPTIONS: CompileOptions = { strict: false, preventIndent: true };

/**
 * Compile every template once per platform. A file that does not parse or compile is left out (its
 * lookups fall through to the next candidate) and reported as a problem with its position.
 */
export function compileTemplates(files: Iterable<TemplateFile>, envs: Record<Platform, HandlebarsEnv>): CompiledSet {
  const templates = new Map<string, CompiledTemplate>();
  const problems: TemplateProblem[] = [];
  const known = helperNames();
  for (const f of files) {
    try {
      problems.push(...findUnknownHelpers(f.file, Handlebars.parse(f.source), known));
      const compiled = {} as CompiledTemplate;
      for (const platform of Object.keys(envs) as Platform[]) compiled[platform] = compileNow(envs[platform], f.source);
      templates.set(f.id, compiled);
    } catch (err) {
      problems.push(problemFromError(f.file, err, (Handlebars as unknown as { Parser?: Lexer }).Parser?.lexer?.yylloc));
    }
  }
  return { templates, problems };
}

/**
 * Handlebars compiles lazily on first call; `_setup` (what Handlebars itself calls before running a
 * partial) forces it now, so compile errors surface at load and no event pays for compilation.
 */
function compileNow(env: HandlebarsEnv, source: string): Handlebars.TemplateDelegate {
  const fn = env.compile(source, COMPILE_OPTIONS) as Lazy;
  fn._setup?.({});
  return fn;
}
