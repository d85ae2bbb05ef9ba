import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time byte comparison. `timingSafeEqual` throws on a length mismatch, and an uncaught
 * throw becomes a 500 that makes the provider retry, so lengths are checked first.
 */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * Constant-time comparison of two texts (tokens, passwords). Both sides are hashed first so the
 * comparison takes the same time whatever the lengths, and the configured length is not revealed.
 */
export function safeEqualText(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
