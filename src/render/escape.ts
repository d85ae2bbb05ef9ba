import type { Platform } from './message.js';

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Slack mrkdwn: only these three are control characters; `<` would otherwise open a link or
 * `<!channel>`. Plain `@channel`, `@here` and `@everyone` get a zero-width space too: mrkdwn text
 * parses "certain mentions" on its own (`verbatim: false`), and payload text must never page a channel.
 */
export function escapeSlack(s: string): string {
  return s.replace(/[&<>]/g, (c) => SLACK_ENTITIES[c] ?? c).replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

/**
 * Header blocks and button labels are plain_text: show the characters, not their entities. The
 * zero-width space in a broken `@channel` stays (it is invisible, and the notification text is parsed).
 */
export function unescapeSlack(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Discord markdown: backslash-escape the markup characters, break `@everyone`/`@here` and mention
 * syntax with a zero-width space so payload text can never ping anyone, and defuse `#` headings.
 */
export function escapeDiscord(s: string): string {
  return s
    .replace(/[\\*_~`|>[\]]/g, '\\$&')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(@[!&]?|#|\/|a?:)/g, '<\u200b$1')
    .replace(/^(\s*)(#{1,3}\s|-#\s)/gm, '$1\\$2');
}

/** Terminal output: drop control characters (ANSI escapes could rewrite the operator's screen). */
export function escapeConsole(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

const escapers: Record<Platform, (s: string) => string> = {
  slack: escapeSlack,
  discord: escapeDiscord,
  console: escapeConsole,
};

export function escapeFor(platform: Platform): (s: string) => string {
  return escapers[platform];
}

/** Markup back to what a reader sees, for notification text and plain_text fields. */
export function plainText(platform: Platform, s: string): string {
  if (platform === 'slack') return unescapeSlack(s);
  if (platform === 'discord') return s.replace(/\\([\\*_~`|>[\]#-])/g, '$1');
  return s;
}
