import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigError, Problem } from './errors.js';

type Located = { node: Node | null; exact: boolean };

function childOf(doc: Document, node: Node, seg: PropertyKey, atKey: boolean): Node | null | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isSeq(target) && typeof seg === 'number') {
    const item = target.items[seg];
    return isPair(item) ? (item.value as Node | null) : (item as Node | undefined);
  }
  if (!isMap(target)) return undefined;
  for (const pair of target.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (String(key) !== String(seg)) continue;
    return atKey ? (pair.key as Node) : ((pair.value as Node | null) ?? (pair.key as Node));
  }
  return undefined;
}

/** The deepest node along `path`; `exact` is false when the path runs past what the document has (a missing key). */
export function locate(doc: Document, path: readonly PropertyKey[], atKey = false): Located {
  let node = doc.contents as Node | null;
  for (let i = 0; i < path.length; i++) {
    if (!node) return { node, exact: false };
    const next = childOf(doc, node, path[i]!, atKey && i === path.length - 1);
    if (next === undefined) return { node, exact: false };
    if (next === null) return { node, exact: i === path.length - 1 };
    node = next;
  }
  return { node, exact: true };
}

export class Positions {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number, message: string): ConfigError {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, message };
  }

  /** A problem placed on its node, or on the nearest enclosing node when the path names something absent. */
  of(p: Problem): ConfigError {
    const { node } = locate(this.doc, p.path, p.atKey);
    return this.at(node?.range?.[0] ?? 0, p.message);
  }

  /** Whether the document holds a node at this path (a missing key is reported at its parent). */
  has(path: readonly PropertyKey[]): boolean {
    return locate(this.doc, path).exact;
  }
}

/** A problem found after loading (a folder the config names is missing), placed on its node in the file. */
export async function problemInFile(file: string, p: Problem): Promise<ConfigError> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  return new Positions(file, doc, lines).of(p);
}
