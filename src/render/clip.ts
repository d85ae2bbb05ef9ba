import { ELLIPSIS } from './limits.js';

/** The markup a clipped string is written in, so the cut can step out of what it would break. */
export type Markup = 'slack' | 'discord';

const FENCE = '```';
/** What closes a code block a cut left open. */
export const FENCE_CLOSE = `\n${FENCE}`;

/**
 * Cut `s` to at most `max` UTF-16 code units, ending with an ellipsis. Counting code units is the
 * strictest reading of every platform limit, and the cut never splits a surrogate pair. With a
 * markup the cut also steps back out of a half-written link, mention or `&entity;`, which the
 * platform would otherwise show as broken markup, and a code block it cuts is closed again:
 * left open, everything after it (the next section, Discord's status lines) would read as code.
 */
export function clip(s: string, max: number, markup?: Markup): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const cut = (room: number): string => s.slice(0, safeEnd(s, room, markup)).trimEnd() + ELLIPSIS;
  const out = cut(max - ELLIPSIS.length);
  if (!markup || !insideFence(out)) return out;
  const room = max - ELLIPSIS.length - FENCE_CLOSE.length;
  if (room <= 0) return ELLIPSIS;
  const shorter = cut(room);
  return insideFence(shorter) ? shorter + FENCE_CLOSE : shorter;
}

/** Whether `s` ends inside a ``` code block (an odd number of fences). */
export function insideFence(s: string): boolean {
  let n = 0;
  for (let at = s.indexOf(FENCE); at >= 0; at = s.indexOf(FENCE, at + FENCE.length)) n += 1;
  return n % 2 === 1;
}

/** The largest end at or before `end` that splits neither a surrogate pair nor the markup's syntax. */
export function safeEnd(s: string, end: number, markup?: Markup): number {
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  if (markup === 'slack') return slackSafeEnd(s, end);
  if (markup === 'discord') return discordSafeEnd(s, end);
  return end;
}

function slackSafeEnd(s: string, end: number): number {
  const open = s.lastIndexOf('<', end - 1);
  if (open >= 0 && s.lastIndexOf('>', end - 1) < open) end = open;
  const amp = s.lastIndexOf('&', end - 1);
  if (amp >= 0 && end - amp < 6 && !s.slice(amp, end).includes(';')) end = amp;
  return end;
}

/** Mentions, channels, emoji and timestamps (`<@id>`, `<t:…:R>`) are short; a lone `<` further back is text. */
const DISCORD_ANGLE_MAX = 80;

function discordSafeEnd(s: string, end: number): number {
  const open = s.lastIndexOf('<', end - 1);
  if (open >= 0 && end - open <= DISCORD_ANGLE_MAX && s.lastIndexOf('>', end - 1) < open) end = open;
  // Payload brackets arrive escaped (`\[`), so an unescaped `[` opens a template's masked link.
  const link = lastUnescaped(s, '[', end);
  if (link >= 0 && /^\[(?:[^\]]*|[^\]]*\]\([^)]*)$/.test(s.slice(link, end))) end = link;
  // A trailing backslash would escape whatever follows it.
  if (end > 0 && s[end - 1] === '\\' && s[end - 2] !== '\\') end -= 1;
  return end;
}

function lastUnescaped(s: string, c: string, end: number): number {
  for (let at = s.lastIndexOf(c, end - 1); at >= 0; at = s.lastIndexOf(c, at - 1)) {
    if (s[at - 1] !== '\\') return at;
  }
  return -1;
}
