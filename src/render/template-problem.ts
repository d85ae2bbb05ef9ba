/** A problem in a template file, reported by `hookbridge check` as `file:line:col: message`. */
export interface TemplateProblem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  readonly message: string;
}

type Location = { first_line: number; first_column: number };
type HandlebarsError = Error & { lineNumber?: number; column?: number };

/**
 * Handlebars reports two kinds of errors: its own Exception with `lineNumber`/`column` (0-based
 * column, message suffixed " - line:col"), and the generated parser's "Parse error on line N" whose
 * column is only in the lexer's last location, passed in here as `lexerAt`.
 */
export function problemFromError(file: string, err: unknown, lexerAt?: Location): TemplateProblem {
  const e = err as HandlebarsError;
  const text = String(e?.message ?? err);
  if (typeof e?.lineNumber === 'number') {
    return { file, line: e.lineNumber, col: (e.column ?? 0) + 1, message: text.replace(/ - \d+:\d+$/, '') };
  }
  const parse = /^Parse error on line (\d+):[\s\S]*?Expecting (.*), got (.*)$/m.exec(text);
  if (parse) {
    const expected = parse[2]!.split(', ').slice(0, 4).join(', ');
    const line = lexerAt?.first_line ?? Number(parse[1]);
    return { file, line, col: (lexerAt?.first_column ?? 0) + 1, message: `unexpected ${parse[3]}, expecting ${expected}` };
  }
  const lexical = /^Lexical error on line (\d+)\. (.*)/.exec(text);
  if (lexical) return { file, line: Number(lexical[1]), col: (lexerAt?.first_column ?? 0) + 1, message: lexical[2]!.split('\n')[0]! };
  return { file, line: 1, col: 1, message: text.split('\n')[0]! };
}
