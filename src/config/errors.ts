/** One problem in a config file (or a template it names), pointing at the offending node. Line and column are 1-based. */
export interface ConfigError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** The `file:line:col: message` form editors and CI annotators understand. */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** A problem found while validating, before it is given a position: where it is (a path into the document) and what. */
export interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Point at the key of the last path segment rather than its value (unknown keys, bad map keys). */
  readonly atKey?: boolean;
}

/** `routes[0].match.where` — how a path reads in messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
