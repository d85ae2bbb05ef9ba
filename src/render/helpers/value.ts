import Handlebars from 'handlebars';
import { clip } from '../clip.js';
import type { RenderData } from '../render-data.js';

export type HelperOptions = Handlebars.HelperOptions & {
  readonly data: RenderData;
  readonly lookupProperty?: (o: unknown, key: string) => unknown;
};
export type Helper = (this: unknown, ...args: unknown[]) => unknown;
export type HelperSet = Record<string, Helper>;

/**
 * Handlebars passes the options object last, after however many arguments the template gave, so a
 * helper cannot trust its positional parameters; it splits them here.
 */
export function split(args: readonly unknown[]): [unknown[], HelperOptions] {
  return [args.slice(0, -1), args[args.length - 1] as HelperOptions];
}

export function isMissing(v: unknown): v is undefined | null | '' {
  return v === undefined || v === null || v === '';
}

export function isSafe(v: unknown): v is Handlebars.SafeString {
  return typeof v === 'object' && v !== null && typeof (v as { toHTML?: unknown }).toHTML === 'function';
}

const OBJECT_TEXT_MAX = 300;

/** How any payload value reads as text: lists of scalars joined, objects as short JSON. */
export function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.join(', ');
  try {
    return clip(JSON.stringify(v), OBJECT_TEXT_MAX);
  } catch {
    return String(v);
  }
}

export function safe(s: string): Handlebars.SafeString {
  return new Handlebars.SafeString(s);
}
