import { isMissing, split, type HelperSet } from './value.js';

const truthy = (v: unknown): boolean => !isMissing(v) && v !== false && v !== 0 && !(Array.isArray(v) && v.length === 0);

/**
 * Comparisons for `{{#if (eq a "b")}}` and friends, and `{{default a b …}}` (the first present value).
 * `or`/`and` return a value rather than a boolean so `{{or a b}}` doubles as a fallback.
 */
export function logicHelpers(): HelperSet {
  return {
    eq(...args) {
      const [[a, ...rest]] = split(args);
      return rest.some((b) => a === b);
    },
    ne(...args) {
      const [[a, b]] = split(args);
      return a !== b;
    },
    not(...args) {
      const [[a]] = split(args);
      return !truthy(a);
    },
    and(...args) {
      const [values] = split(args);
      return values.find((v) => !truthy(v)) ?? values[values.length - 1];
    },
    or(...args) {
      const [values] = split(args);
      return values.find(truthy) ?? values[values.length - 1];
    },
    default(...args) {
      const [values] = split(args);
      return values.find((v) => !isMissing(v));
    },
    gt(...args) {
      const [[a, b]] = split(args);
      return Number(a) > Number(b);
    },
  };
}
