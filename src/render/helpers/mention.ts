import { escapeFor } from '../escape.js';
import { PLACEHOLDER } from '../limits.js';
import type { Platform } from '../message.js';
import { isMissing, safe, split, toText, type HelperSet } from './value.js';

type Kind = 'user' | 'role' | 'channel';

const formats: Record<Platform, Record<Kind, (id: string) => string>> = {
  slack: { user: (id) => `<@${id}>`, role: (id) => `<!subteam^${id}>`, channel: (id) => `<#${id}>` },
  discord: { user: (id) => `<@${id}>`, role: (id) => `<@&${id}>`, channel: (id) => `<#${id}>` },
  console: { user: (id) => `@${id}`, role: (id) => `@${id}`, channel: (id) => `#${id}` },
};

/**
 * `{{mention id}}`, `{{mention id type="role"}}`, `{{mention id type="channel"}}`. Only ids that look
 * like platform ids become mentions; anything else (a GitHub login, say) is shown as escaped text,
 * so a payload can never smuggle in `<!channel>` or `@everyone`.
 */
export function mentionHelpers(platform: Platform): HelperSet {
  const escape = escapeFor(platform);
  return {
    mention(...args) {
      const [[id], options] = split(args);
      if (isMissing(id)) return PLACEHOLDER;
      const text = toText(id);
      const kind: Kind = options.hash['type'] === 'role' || options.hash['type'] === 'channel' ? options.hash['type'] : 'user';
      if (!/^[A-Za-z0-9]{1,32}$/.test(text)) return safe(escape(`@${text}`));
      return safe(formats[platform][kind](text));
    },
  };
}
