import type { VerifyResult } from '../types.js';
import { type HmacKey, type HmacScheme, verifyHmac } from './hmac.js';

export type TimestampUnit = 's' | 'ms';

/** Integer Unix time in seconds (or milliseconds) → ms since the epoch; undefined for anything else. */
export function parseTimestamp(text: string, unit: TimestampUnit = 's'): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  return Number(trimmed) * (unit === 's' ? 1000 : 1);
}

/**
 * Within `toleranceMs` of `now` in both directions. Senders with a clock ahead of ours are rejected
 * as well: accepting the future would let a captured request be replayed for longer than the window.
 */
export function checkTimestamp(atMs: number, now: Date, toleranceMs: number): VerifyResult {
  const skew = now.getTime() - atMs;
  if (skew > toleranceMs) return { ok: false, reason: 'stale' };
  if (-skew > toleranceMs) return { ok: false, reason: 'future' };
  return { ok: true };
}

export interface TimestampedInput {
  readonly scheme: HmacScheme;
  readonly keys: readonly HmacKey[];
  /** The timestamp exactly as sent (it is signed as text). */
  readonly timestamp: string | undefined;
  readonly signatures: readonly string[];
  /** The signed bytes for this timestamp, e.g. `[ts + '.', body]`. */
  readonly signed: (timestamp: string) => readonly Uint8Array[];
  readonly now: Date;
  readonly toleranceMs: number;
  readonly unit?: TimestampUnit;
}

/**
 * HMAC over timestamp + separator + body, then the tolerance window. The signature is checked
 * first so that 'stale' and 'future' only ever describe authentic requests (clock skew, replays),
 * which is what an operator reading the metric needs to know.
 */
export function verifyTimestamped(input: TimestampedInput): VerifyResult {
  if (input.timestamp === undefined || input.timestamp.trim() === '' || input.signatures.length === 0) {
    return { ok: false, reason: 'missing' };
  }
  const atMs = parseTimestamp(input.timestamp, input.unit);
  if (atMs === undefined) return { ok: false, reason: 'malformed' };
  const signature = verifyHmac(input.scheme, input.keys, input.signed(input.timestamp.trim()), input.signatures);
  if (!signature.ok) return signature;
  return checkTimestamp(atMs, input.now, input.toleranceMs);
}

/**
 * Signed bytes from a template such as `{ts}.{body}` or `v0:{ts}:{body}`: the text around `{body}`
 * is encoded as UTF-8 and the body bytes are used as received.
 */
export function templateParts(template: string, values: Readonly<Record<string, string>>, body: Uint8Array): Uint8Array[] {
  const fill = (text: string) => Buffer.from(text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole), 'utf8');
  const at = template.indexOf('{body}');
  if (at < 0) return [fill(template)];
  return [fill(template.slice(0, at)), body, fill(template.slice(at + '{body}'.length))];
}
