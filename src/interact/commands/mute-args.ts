import { looksLikeDuration, parseDuration } from '../duration.js';

export const DEFAULT_MUTE_MS = 3_600_000;
export const MUTE_USAGE = 'mute <source> [duration] [reason], e.g. `mute gh 2h deploy freeze` (duration like 30m, 2h, 1d; default 1h)';

export type MuteArgs = { source: string; durationMs: number; reason?: string } | { error: string };

/**
 * `<source> [duration] [reason…]`. A second word that starts with a digit must be a duration
 * (`30x` is a typo, not a reason); any other words are the reason. `--duration <d>` names the
 * duration outright (Discord's option), so whatever follows it must be one.
 */
export function parseMuteArgs(args: readonly string[]): MuteArgs {
  const [source, ...more] = args;
  const explicit = more[0] === '--duration';
  const [second, ...rest] = explicit ? more.slice(1) : more;
  if (!source || (explicit && second === undefined)) return { error: `Usage: ${MUTE_USAGE}` };
  if (second === undefined) return { source, durationMs: DEFAULT_MUTE_MS };
  const ms = parseDuration(second);
  if (ms === undefined && (explicit || looksLikeDuration(second))) {
    return { error: `\`${second}\` is not a valid duration: use a number and a unit, like 30m, 2h or 1d (at most 30d).` };
  }
  const reasonWords = ms === undefined ? [second, ...rest] : rest;
  const reason = reasonWords.join(' ').trim();
  return { source, durationMs: ms ?? DEFAULT_MUTE_MS, ...(reason && { reason }) };
}
