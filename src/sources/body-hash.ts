import { createHash } from 'node:crypto';

/**
 * Stable id for providers that send none: SHA-256 of the parts, each length-prefixed so that
 * ("ab","c") and ("a","bc") differ. A redelivery of the same bytes gets the same id.
 */
export function bodyHash(...parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest('hex');
}
