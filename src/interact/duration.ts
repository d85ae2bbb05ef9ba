const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Longest mute or replay window a command accepts. */
export const MAX_DURATION_MS = 30 * 86_400_000;

/** `30m`, `2h`, `1d` (also `45s`, `1w`) → milliseconds; undefined for anything else, zero, or over 30 days. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})(s|m|h|d|w)$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** A word that was meant as a duration: it starts with a digit. */
export const looksLikeDuration = (word: string): boolean => /^\d/.test(word);
