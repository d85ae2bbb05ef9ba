import { PLACEHOLDER } from '../limits.js';
import type { Platform } from '../message.js';
import { safe, split, type HelperSet } from './value.js';

/** Largest time a Date holds (ECMA-262 §21.4.1.1); beyond it toISOString throws. */
const DATE_MAX_MS = 8.64e15;

/**
 * Accepts ISO strings and epoch seconds, milliseconds, microseconds or nanoseconds (numbers or
 * digit strings), told apart by size as every present-day time in one unit is far from the others.
 * Anything a Date cannot hold is no date: `toISOString` would throw and fail the whole template.
 */
export function toDate(v: unknown): Date | undefined {
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()))) {
    const n = Number(v);
    ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
  } else if (typeof v === 'string') ms = Date.parse(v);
  else return undefined;
  return Number.isFinite(ms) && Math.abs(ms) <= DATE_MAX_MS ? new Date(Math.floor(ms)) : undefined;
}

/** "2024-05-01 12:03 UTC": the same for every reader, which is what a log line wants. */
export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: readonly [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** "3m 12s", "2h 5m", "1d 4h": the two largest units are enough to read at a glance. */
export function formatDuration(ms: number): string {
  let rest = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

const RELATIVE: readonly [string, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

export function formatAgo(d: Date, now: Date): string {
  const secs = Math.round((now.getTime() - d.getTime()) / 1000);
  const abs = Math.abs(secs);
  if (abs < 45) return 'just now';
  for (const [unit, size] of RELATIVE) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      const span = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return secs >= 0 ? `${span} ago` : `in ${span}`;
    }
  }
  return secs >= 0 ? '1 minute ago' : 'in 1 minute';
}

const absolute: Record<Platform, (d: Date) => string> = {
  // Slack and Discord show these in each reader's own time zone; the text after | is the fallback.
  slack: (d) => `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${formatUtc(d)}>`,
  discord: (d) => `<t:${Math.floor(d.getTime() / 1000)}:f>`,
  console: formatUtc,
};

/**
 * `{{time ts}}` absolute, `{{ago ts}}` relative to the render's `now` (never the clock), and
 * `{{duration from to}}` where `to` defaults to `now`, `{{seconds n}}` for a length given in seconds.
 */
export function timeHelpers(platform: Platform): HelperSet {
  return {
    time(...args) {
      const [[v]] = split(args);
      const d = toDate(v);
      return d ? safe(absolute[platform](d)) : PLACEHOLDER;
    },
    ago(...args) {
      const [[v], options] = split(args);
      const d = toDate(v);
      return d ? formatAgo(d, options.data.now) : PLACEHOLDER;
    },
    duration(...args) {
      const [[from, to], options] = split(args);
      const start = toDate(from);
      const end = to === undefined ? options.data.now : toDate(to);
      return start && end ? formatDuration(end.getTime() - start.getTime()) : PLACEHOLDER;
    },
    seconds(...args) {
      const [[v]] = split(args);
      const n = Number(v);
      return v === null || v === undefined || v === '' || !Number.isFinite(n) ? PLACEHOLDER : formatDuration(n * 1000);
    },
  };
}
