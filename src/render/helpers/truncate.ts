import { clip } from '../clip.js';
import { ELLIPSIS, PLACEHOLDER } from '../limits.js';
import { isMissing, split, toText, type HelperSet } from './value.js';

const DEFAULT_LENGTH = 80;

/**
 * `{{truncate s 80}}` cuts the raw value (before escaping, so an entity is never cut in half);
 * `{{firstLine s 120}}` keeps the first line (cut to 160 by default), which is what a commit message or comment reads like at a glance.
 */
export function truncateHelpers(): HelperSet {
  return {
    truncate(...args) {
      const [[v, n]] = split(args);
      if (isMissing(v)) return PLACEHOLDER;
      const max = typeof n === 'number' && n > 0 ? n : DEFAULT_LENGTH;
      return clip(toText(v), max);
    },
    firstLine(...args) {
      const [[v, n]] = split(args);
      if (isMissing(v)) return PLACEHOLDER;
      const text = toText(v).trim();
      const nl = text.indexOf('\n');
      const line = nl < 0 ? text : `${text.slice(0, nl).trimEnd()} ${ELLIPSIS}`;
      return clip(line, typeof n === 'number' && n > 0 ? n : DEFAULT_LENGTH * 2);
    },
  };
}
