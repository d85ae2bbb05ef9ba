import { escapeFor } from '../escape.js';
import { PLACEHOLDER } from '../limits.js';
import type { Platform } from '../message.js';
import { isMissing, isSafe, safe, split, toText, type HelperSet } from './value.js';

/** Only web and mail links: anything else (javascript:, relative paths) is shown as text. */
export function safeUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(s)) return undefined;
  try {
    return new URL(s).href;
  } catch {
    return undefined;
  }
}

const formats: Record<Platform, (url: string, text: string) => string> = {
  // `|` and `>` end Slack's link syntax early, so they are percent-encoded inside the URL.
  slack: (url, text) => `<${url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${text}>`,
  discord: (url, text) => `[${text}](${url.replace(/\)/g, '%29').replace(/ /g, '%20')})`,
  console: (url, text) => (text === url ? url : `${text} (${url})`),
};

/** `{{link url text}}`: a link in the platform's markup; the text defaults to the URL. */
export function linkHelpers(platform: Platform): HelperSet {
  const escape = escapeFor(platform);
  return {
    link(...args) {
      const [[url, label]] = split(args);
      const href = safeUrl(url);
      const text = isSafe(label) ? label.toHTML() : isMissing(label) ? undefined : escape(toText(label));
      if (!href) return safe(text ?? (isMissing(url) ? PLACEHOLDER : escape(toText(url))));
      return safe(formats[platform](href, text ?? escape(href)));
    },
  };
}
