import type { z } from 'zod';

/** The request as it reached us, before anything was parsed. Header names are lower-case. */
export interface RawRequest {
  readonly sourceId: string;
  readonly method: string;
  /** Full public URL of the request (scheme, host and path as the provider called it). */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  readonly ip: string;
}

/** Closed set of reasons a request failed authentication; each maps to 401 and is a metric label. */
export type VerifyFailure = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future' | 'unauthorized';

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

export type Verifier<C> = (req: RawRequest, cfg: C, now: Date) => VerifyResult | Promise<VerifyResult>;

/** What the pipeline needs to know about an event, read from a verified request. */
export interface EventFacts {
  /** Provider's delivery or event id; the body hash when the provider sends none. Used for dedupe. */
  readonly id: string;
  /** Event type, e.g. `workflow_run`, `charge.succeeded`, `alert.firing`. */
  readonly type: string;
  /** Events sharing this key (one CI run, alert group, payment intent, ticket) update one message. */
  readonly correlationKey?: string;
  readonly occurredAt?: Date;
  /** Provider payload version where it has one (Stripe api_version, Alertmanager version, ...). */
  readonly version?: string;
}

/** Thrown by `parse`/`describe` when the request lacks something the provider always sends: answered with 400. */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

export type SourceArea = 'ci' | 'payment' | 'monitoring' | 'support' | 'any';

/** Options for signing a payload the way the provider does (`hookbridge send`, tests). */
export interface SignOptions {
  readonly now: Date;
  readonly url: URL;
  readonly event?: string;
  /** Delivery id to send; a fresh random one when absent. */
  readonly deliveryId?: string;
}

export interface SignedRequest {
  readonly headers: Record<string, string>;
  /** Body to send; usually the payload unchanged, but some providers wrap it (form-encoded). */
  readonly body: Buffer;
}

/**
 * A provider, declared on the shared verification primitives. One file per provider in src/sources/,
 * listed explicitly in registry.ts.
 */
export interface SourceType<C extends { type: string } = { type: string }> {
  readonly type: string;
  readonly area: SourceArea;
  /** One line for `hookbridge sources` and the README. */
  readonly summary: string;
  /** How requests are authenticated, in words, for `hookbridge sources`. */
  readonly verification: string;
  /** zod schema of this type's entry under `sources:` (includes `type: z.literal(...)`). */
  readonly config: z.ZodType<C>;
  /** HTTP methods accepted besides POST (upper-case), for providers that can be set to send another. */
  readonly methods?: readonly string[];
  /** Content types accepted (lower-case, without parameters). Default: application/json. */
  readonly contentTypes?: readonly string[];
  readonly verify: Verifier<C>;
  /**
   * Turn a verified body of a non-JSON content type (form-encoded, XML) into the payload object.
   * `application/json` bodies are always parsed by the pipeline itself. Throws MalformedRequestError.
   */
  readonly parse?: (req: RawRequest, cfg: C) => unknown;
  /** Read id, type, correlation key from the verified request. Throws MalformedRequestError. */
  readonly describe: (req: RawRequest, payload: unknown, cfg: C) => EventFacts;
  /** Headers worth keeping in the event log (lower-case names); never credentials. */
  readonly keepHeaders?: readonly string[];
  /** Sign a payload as the provider would, for `hookbridge send` and tests. */
  readonly sign: (payload: Buffer, cfg: C, opts: SignOptions) => SignedRequest | Promise<SignedRequest>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySourceType = SourceType<any>;
