import { clip } from '../clip.js';
import { PLACEHOLDER } from '../limits.js';
import { isMissing, split, toText, type HelperSet } from './value.js';

const JSON_MAX = 1000;

/** Small text shaping for payload values; all return plain strings, escaped by the caller's `{{ }}`. */
export function textHelpers(): HelperSet {
  return {
    lower: (...args) => toText(split(args)[0][0]).toLowerCase(),
    upper: (...args) => toText(split(args)[0][0]).toUpperCase(),
    /** `in_progress` → `in progress`, `timed_out` → `timed out`. */
    humanize: (...args) => {
      const v = split(args)[0][0];
      return isMissing(v) ? PLACEHOLDER : toText(v).replace(/[_-]+/g, ' ').trim();
    },
    /** First 7 characters of a commit SHA, as git shows them. */
    shortSha: (...args) => {
      const v = split(args)[0][0];
      return isMissing(v) ? PLACEHOLDER : toText(v).slice(0, 7);
    },
    /** `{{join list ", "}}`, or `{{join list ", " "name"}}` to join one property of each item. */
    join: (...args) => {
      const [[list, sep, key]] = split(args);
      if (!Array.isArray(list) || list.length === 0) return PLACEHOLDER;
      const items = typeof key === 'string' ? list.map((x) => (x as Record<string, unknown> | null)?.[key]) : list;
      return items.filter((x) => !isMissing(x)).map(toText).join(typeof sep === 'string' ? sep : ', ');
    },
    /** `{{concat a "/" b}}`: the values joined, or empty when one is missing (so a link is not half-built). */
    concat: (...args) => {
      const [values] = split(args);
      return values.some(isMissing) ? '' : values.map(toText).join('');
    },
    /** `refs/heads/main` → `main`, `refs/tags/v1` → `v1` (GitHub and GitLab push refs). */
    refName: (...args) => {
      const v = split(args)[0][0];
      return isMissing(v) ? PLACEHOLDER : toText(v).replace(/^refs\/(heads|tags)\//, '');
    },
    /** `charge.dispute.created` → `created`: the verb of a dotted event type. */
    lastPart: (...args) => {
      const v = toText(split(args)[0][0]);
      return v.slice(v.lastIndexOf('.') + 1) || PLACEHOLDER;
    },
    /** `{{#each (first commits 5)}}`: the first n items of a list. */
    first: (...args) => {
      const [[list, n]] = split(args);
      return Array.isArray(list) ? list.slice(0, typeof n === 'number' ? n : 1) : [];
    },
    /**
     * `{{pairs labels}}` → `env=prod, job=api`; `except=commonLabels` leaves out the pairs an
     * object of shared labels already shows, so each alert lists only what sets it apart.
     */
    pairs: (...args) => {
      const [[obj], options] = split(args);
      if (!obj || typeof obj !== 'object') return PLACEHOLDER;
      const except = (options.hash['except'] ?? {}) as Record<string, unknown>;
      const entries = Object.entries(obj as Record<string, unknown>).filter(([k, v]) => except[k] !== v);
      return entries.map(([k, v]) => `${k}=${toText(v)}`).join(', ');
    },
    /** Length of a list or string, or the number of keys of an object. */
    len: (...args) => {
      const v = split(args)[0][0];
      if (Array.isArray(v) || typeof v === 'string') return v.length;
      return v && typeof v === 'object' ? Object.keys(v).length : 0;
    },
    /** `{{plural n "alert"}}` → `1 alert`, `3 alerts`; `{{plural n "entry" "entries"}}`. */
    plural: (...args) => {
      const [[n, one, many]] = split(args);
      const count = Array.isArray(n) ? n.length : Number(n) || 0;
      const word = toText(one);
      return `${count} ${count === 1 ? word : typeof many === 'string' ? many : `${word}s`}`;
    },
    /** Compact JSON, cut to a readable size; use inside `{{codeblock (json x)}}` for whole objects. */
    json: (...args) => {
      const v = split(args)[0][0];
      if (v === undefined) return PLACEHOLDER;
      try {
        return clip(JSON.stringify(v, null, 2) ?? String(v), JSON_MAX);
      } catch {
        return String(v);
      }
    },
  };
}
