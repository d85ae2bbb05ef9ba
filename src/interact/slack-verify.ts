import { isValidSlackRequest } from '@slack/bolt';
import type { VerifyFailure } from '../sources/types.js';

/** Slack's window for the request timestamp, applied both ways (Bolt only rejects the past). */
export const SLACK_TOLERANCE_MS = 5 * 60_000;

export interface SlackSigned {
  readonly signingSecret: string;
  readonly body: Buffer;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

/** `v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))`, compared in constant time by Bolt. */
export function verifySlack(req: SlackSigned, nowMs: number): VerifyFailure | undefined {
  if (!req.signature || !req.timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(req.timestamp) || !/^v0=[0-9a-f]{64}$/.test(req.signature)) return 'malformed';
  const tsMs = Number(req.timestamp) * 1000;
  if (tsMs - nowMs > SLACK_TOLERANCE_MS) return 'future';
  if (nowMs - tsMs > SLACK_TOLERANCE_MS) return 'stale';
  const ok = isValidSlackRequest({
    signingSecret: req.signingSecret,
    body: req.body.toString('utf8'),
    headers: { 'x-slack-signature': req.signature, 'x-slack-request-timestamp': Number(req.timestamp) },
    nowMilliseconds: nowMs,
  });
  return ok ? undefined : 'mismatch';
}
