import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { VerifyFailure } from '../sources/types.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const keys = new Map<string, KeyObject>();

/** The application's hex public key as a node:crypto key, built once per key. */
export function discordPublicKey(hex: string): KeyObject {
  let key = keys.get(hex);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
    keys.set(hex, key);
  }
  return key;
}

export interface DiscordSigned {
  readonly publicKey: string;
  readonly body: Buffer;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

/**
 * Ed25519 over `timestamp + body`, checked on every request: Discord sends bad signatures on
 * purpose and drops an endpoint that accepts them. Discord documents no timestamp window.
 */
export function verifyDiscord(req: DiscordSigned): VerifyFailure | undefined {
  if (!req.signature || !req.timestamp) return 'missing';
  if (!/^[0-9a-f]{128}$/i.test(req.signature)) return 'malformed';
  const signed = Buffer.concat([Buffer.from(req.timestamp, 'utf8'), req.body]);
  try {
    return verify(null, signed, discordPublicKey(req.publicKey), Buffer.from(req.signature, 'hex')) ? undefined : 'mismatch';
  } catch {
    return 'mismatch';
  }
}
