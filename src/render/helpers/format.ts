import { escapeFor } from '../escape.js';
import type { Platform } from '../message.js';
import { safe, split, toText, type HelperSet } from './value.js';

const marks: Record<Platform, { bold: string; italic: string }> = {
  slack: { bold: '*', italic: '_' },
  discord: { bold: '**', italic: '*' },
  console: { bold: '', italic: '' },
};

/**
 * `{{#bold}}…{{/bold}}` / `{{bold x}}` and `{{#italic}}…{{/italic}}` / `{{italic x}}` so one template reads right everywhere (Slack
 * bolds with `*`, Discord with `**`). The content is already escaped by the time it arrives here.
 */
export function formatHelpers(platform: Platform): HelperSet {
  const escape = escapeFor(platform);
  const wrap = (mark: string) =>
    function (this: unknown, ...args: unknown[]) {
      const [[v], options] = split(args);
      const inner = (options.fn ? options.fn(this) : escape(toText(v))).trim();
      return inner === '' ? '' : safe(`${mark}${inner}${mark}`);
    };
  return { bold: wrap(marks[platform].bold), italic: wrap(marks[platform].italic) };
}
