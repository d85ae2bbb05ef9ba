import Handlebars from 'handlebars';
import { escapeFor } from '../escape.js';
import { PLACEHOLDER } from '../limits.js';
import type { Platform } from '../message.js';
import { safeUrl } from './link.js';
import { isSeverity, statusSeverity } from './severity.js';
import { toDate } from './time.js';
import { isMissing, isSafe, split, toText, type Helper, type HelperOptions, type HelperSet } from './value.js';

/**
 * Helpers that fill the message's parts instead of printing: `{{#title}}`, `{{#field "Name"}}`,
 * `{{severity x}}`, `{{#url}}`, `{{#footer}}`, `{{timestamp x}}`. Each takes a block or one value.
 * They share names with common payload keys, so with no value and no block they print the
 * context's own property instead (`{{title}}` inside `{{#with issue}}` still shows the issue title).
 */
export function messagePartHelpers(platform: Platform): HelperSet {
  const escape = escapeFor(platform);

  /** The part's content: the block's output, or the first argument escaped for the platform. */
  function content(ctx: unknown, params: unknown[], options: HelperOptions, index = 0): string | undefined {
    if (options.fn) return options.fn(ctx).trim();
    const v = params[index];
    if (isSafe(v)) return v.toHTML();
    return isMissing(v) ? undefined : escape(toText(v));
  }

  const part = (name: string, apply: (ctx: unknown, params: unknown[], options: HelperOptions) => void): Helper =>
    function (this: unknown, ...args: unknown[]) {
      const [params, options] = split(args);
      if (params.length === 0 && !options.fn) return ownProperty(this, name, options);
      apply(this, params, options);
      return '';
    };

  return {
    title: part('title', (ctx, params, options) => {
      const text = content(ctx, params, options)?.replace(/\s+/g, ' ');
      if (text) options.data.draft.title = text;
    }),
    url: part('url', (ctx, params, options) => {
      let raw: unknown = params[0];
      if (options.fn) {
        const frame = Handlebars.createFrame(options.data) as { raw?: boolean };
        frame.raw = true;
        raw = options.fn(ctx, { data: frame });
      }
      const href = safeUrl(raw);
      if (href) options.data.draft.url = href;
    }),
    severity: part('severity', (ctx, params, options) => {
      const v = options.fn ? options.fn(ctx).trim() : params[0];
      if (!isMissing(v)) options.data.draft.severity = isSeverity(v) ? v : statusSeverity(v);
    }),
    footer: part('footer', (ctx, params, options) => {
      const text = content(ctx, params, options);
      if (text) options.data.draft.footer = text;
    }),
    timestamp: part('timestamp', (_ctx, params, options) => {
      const d = toDate(params[0]);
      if (d) options.data.draft.timestamp = d.toISOString();
    }),
    field: part('field', (ctx, params, options) => {
      const name = isSafe(params[0]) ? params[0].toHTML() : escape(toText(params[0])).trim();
      const value = options.fn ? options.fn(ctx).trim() : content(ctx, params, options, 1);
      options.data.draft.fields.push({
        name: name || PLACEHOLDER,
        value: value || PLACEHOLDER,
        inline: options.hash['inline'] !== false,
      });
    }),
  };
}

function ownProperty(ctx: unknown, name: string, options: HelperOptions): unknown {
  if (ctx === null || typeof ctx !== 'object') return undefined;
  return options.lookupProperty ? options.lookupProperty(ctx, name) : (ctx as Record<string, unknown>)[name];
}
