import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { sourceTypes as registered } from '../sources/registry.js';
import type { AnySourceType } from '../sources/types.js';
import { crossCheck } from './cross-check.js';
import type { ConfigError, Problem } from './errors.js';
import { interpolateDocument, redact } from './interpolate.js';
import { issueProblems } from './issue-problems.js';
import { Positions } from './positions.js';
import { resolvePaths } from './resolve-paths.js';
import { configSchema, type HookbridgeConfig } from './schema.js';
import { sourceEntrySchema } from './source-entry.js';

export type { ConfigError } from './errors.js';
export { formatConfigError } from './errors.js';

export type ConfigResult = { ok: true; config: HookbridgeConfig } | { ok: false; errors: ConfigError[] };

export interface LoadOptions {
  /** Where `${VAR}` and PORT are read from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Source types entries may use. Default: every registered type. */
  readonly sourceTypes?: readonly AnySourceType[];
}

/** Read, interpolate and validate a config file; every problem is reported with its own file:line:col. */
export async function loadConfig(file: string, o: LoadOptions = {}): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a config file' : `cannot read: ${(err as Error).message}`;
    return { ok: false, errors: [{ file, line: 1, col: 1, message: reason }] };
  }
  return loadConfigText(text, file, o);
}

/** As loadConfig, on text already read; `file` names it in errors and anchors its relative paths. */
export function loadConfigText(text: string, file: string, o: LoadOptions = {}): ConfigResult {
  const env = o.env ?? process.env;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const positions = new Positions(file, doc, lines);
  if (doc.errors.length > 0) return { ok: false, errors: syntaxErrors(doc, text, positions) };
  // An empty file is most often one caught mid-write; accepting it on reload would drop every source and route.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { ok: false, errors: [positions.at(0, 'the config file is empty (write {} for a config of defaults only)')] };
  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? 'a list' : 'a single value';
    const message = `the config must be a mapping of sections (server:, sources:, routes:, ...), not ${what}`;
    return { ok: false, errors: [positions.at(doc.contents.range?.[0] ?? 0, message)] };
  }
  const interpolation = interpolateDocument(doc, env);
  const errors: ConfigError[] = interpolation.errors.map((e) => positions.at(e.node.range?.[0] ?? 0, e.message));
  const raw = toPlain(doc);
  if (raw instanceof Error) return { ok: false, errors: [positions.at(0, `YAML: ${raw.message}`)] };
  const schema = configSchema(sourceEntrySchema(o.sourceTypes ?? registered)).safeParse(raw);
  const problems = schema.success ? [] : issueProblems(schema.error.issues, (p) => positions.has(p));
  problems.push(...crossCheck(raw));
  const port = portOverride(env, doc);
  if (port.problem) problems.push(port.problem);
  // A node whose variable is missing would also fail its schema check; one error for it is enough.
  const taken = new Set(errors.map((e) => `${e.line}:${e.col}`));
  for (const p of problems) {
    const e = positions.of({ ...p, message: redact(p.message, interpolation.secrets) });
    if (!taken.has(`${e.line}:${e.col}`)) errors.push(e);
  }
  if (errors.length > 0 || !schema.success) return { ok: false, errors: sortErrors(errors) };
  const absolute = resolve(file);
  const config: HookbridgeConfig = { ...schema.data, file: absolute };
  if (port.value !== undefined) config.server = { ...config.server, port: port.value };
  return { ok: true, config: resolvePaths(config, dirname(absolute)) };
}

/** `PORT` wins over `server.port`, as platforms that assign the port expect. */
function portOverride(env: NodeJS.ProcessEnv, doc: Document): { value?: number; problem?: Problem } {
  const text = env.PORT?.trim();
  if (text === undefined || text === '') return {};
  const value = Number(text);
  if (/^\d+$/.test(text) && value <= 65535) return { value };
  const path = doc.hasIn(['server', 'port']) ? ['server', 'port'] : [];
  return { problem: { path, message: 'the PORT environment variable must be a port number (0-65535)' } };
}

/**
 * After the first syntax error the parser's later complaints mostly echo it, so keep one per line and at most ten.
 * `${VAR}` unquoted inside `{ }` or `[ ]` is the classic cause, and gets a hint.
 */
function syntaxErrors(doc: Document, text: string, positions: Positions): ConfigError[] {
  const out: ConfigError[] = [];
  for (const e of doc.errors) {
    const hint = text.startsWith('${', e.pos[0] - 1) || text.startsWith('${', e.pos[0]) ? ' (quote ${...} values inside { } or [ ])' : '';
    // The parser's own text here points at its API (parseAllDocuments), not at the file.
    const message = e.code === 'MULTIPLE_DOCS' ? 'a config file holds one YAML document; this one has a second after "---"' : e.message;
    const err = positions.at(e.pos[0], `YAML: ${message}${hint}`);
    if (out.at(-1)?.line !== err.line) out.push(err);
    if (out.length === 10) break;
  }
  return out;
}

/** The document as plain data; an alias bomb (too many alias expansions) is refused here rather than thrown. */
function toPlain(doc: Document): unknown {
  try {
    return (doc.toJS({ maxAliasCount: 1000 }) ?? {}) as unknown;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) => a.line - b.line || a.col - b.col);
}
