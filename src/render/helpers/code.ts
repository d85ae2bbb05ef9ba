import { escapeSlack } from '../escape.js';
import { PLACEHOLDER } from '../limits.js';
import type { Platform } from '../message.js';
import { isMissing, safe, split, toText, type HelperSet } from './value.js';

// Neither platform lets a code span contain its own delimiter, so backticks become a look-alike.
const noTicks = (s: string): string => s.replace(/`/g, 'ˋ');
// A fence inside a block would end it early; a zero-width space keeps the text readable.
const noFence = (s: string): string => s.replace(/```/g, '`\u200b`\u200b`');
const noControl = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

const inline: Record<Platform, (s: string) => string> = {
  slack: (s) => `\`${escapeSlack(noTicks(s.replace(/\s+/g, ' ')))}\``,
  discord: (s) => `\`${noTicks(s.replace(/\s+/g, ' '))}\``,
  console: (s) => noControl(s),
};

const block: Record<Platform, (s: string, lang: string) => string> = {
  slack: (s) => `\`\`\`\n${escapeSlack(noFence(s))}\n\`\`\``,
  discord: (s, lang) => `\`\`\`${lang}\n${noFence(s)}\n\`\`\``,
  console: (s) => noControl(s).replace(/^/gm, '    '),
};

/** `{{code s}}` inline code, `{{codeblock s "json"}}` a fenced block (the language only colours Discord). */
export function codeHelpers(platform: Platform): HelperSet {
  return {
    code(...args) {
      const [[v]] = split(args);
      const text = toText(v).trim();
      return isMissing(v) || text === '' ? PLACEHOLDER : safe(inline[platform](text));
    },
    codeblock(...args) {
      const [[v, lang]] = split(args);
      const text = toText(v).replace(/\s+$/, '');
      const language = typeof lang === 'string' && /^[\w+-]{1,20}$/.test(lang) ? lang : '';
      return isMissing(v) || text === '' ? PLACEHOLDER : safe(block[platform](text, language));
    },
  };
}
