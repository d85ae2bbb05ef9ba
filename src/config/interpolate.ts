import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';

/** `$${...}` is a literal `${...}`; `${NAME}` and `${NAME:-default}` read the environment; any other `${` is a mistake. */
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

export type InterpolationResult =
  | { ok: true; value: string; used: string[] }
  | { ok: false; message: string };

/** Replace variable references in one string. `used` lists values taken from the environment, so messages can redact them. */
export function interpolate(text: string, env: NodeJS.ProcessEnv): InterpolationResult {
  const used: string[] = [];
  let problem: string | undefined;
  const value = text.replace(reference, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    if (name === undefined) {
      problem ??= 'malformed variable reference: use ${NAME} or ${NAME:-default}';
      return whole;
    }
    const set = env[name];
    // Like the shell, `:-` also applies when the variable is set but empty.
    if (fallback !== undefined && (set === undefined || set === '')) return fallback;
    if (set === undefined) {
      problem ??= `environment variable ${name} is not set (give a default with \${${name}:-value})`;
      return whole;
    }
    used.push(set);
    return set;
  });
  return problem === undefined ? { ok: true, value, used } : { ok: false, message: problem };
}

export interface DocumentInterpolation {
  readonly errors: { node: Scalar; message: string }[];
  /** Every value read from the environment; never to be shown in a message. */
  readonly secrets: Set<string>;
}

/** Interpolate every string value in place. Keys are left alone: they name things, they do not carry settings. */
export function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv): DocumentInterpolation {
  const out: DocumentInterpolation = { errors: [], secrets: new Set() };
  const walk = (node: unknown): void => {
    if (isMap(node)) for (const pair of node.items) walk(pair.value);
    else if (isSeq(node)) for (const item of node.items) walk(isPair(item) ? item.value : item);
    else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const r = interpolate(node.value, env);
      if (!r.ok) out.errors.push({ node, message: r.message });
      else {
        node.value = r.value;
        for (const s of r.used) if (s !== '') out.secrets.add(s);
      }
    }
  };
  walk(doc.contents as Node | null);
  return out;
}

/** Blank out environment values that a validator may have echoed (a bad duration quotes its input). */
export function redact(message: string, secrets: ReadonlySet<string>): string {
  let out = message;
  // One- and two-character values would mangle ordinary words and indexes, and are no secret anyway.
  for (const s of secrets) if (s.length >= 3 && out.includes(s)) out = out.split(s).join('***');
  return out;
}
