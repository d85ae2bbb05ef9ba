import { ELLIPSIS } from './limits.js';

/**
 * Cut `s` to at most `max` UTF-16 code units, ending with an ellipsis. Counting code units is the
 * strictest reading of every platform limit, and the cut never splits a surrogate pair. With
 * `markup: 'slack'` the cut also steps back out of a half-written `<link|text>` or `&entity;`, which
 * Slack would otherwise show as broken markup.
 */
export function clip(s: string, max: number, markup?: 'slack'): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  return s.slice(0, safeEnd(s, max - ELLIPSIS.length, markup)).trimEnd() + ELLIPSIS;
}

/** The largest end at or before `end` that splits neither a surrogate pair nor the markup's syntax. */
export function safeEnd(s: string, end: number, markup?: 'slack'): number {
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return markup === 'slack' ? slackSafeEnd(s, end) : end;
}

function slackSafeEnd(s: string, end: number): number {
  const open = s.lastIndexOf('<', end - 1);
  if (open >= 0 && s.lastIndexOf('>', end - 1) < open) end = open;
  const amp = s.lastIndexOf('&', end - 1);
  if (amp >= 0 && end - amp < 6 && !s.slice(amp, end).includes(';')) end = amp;
  return end;
}
