import type { NeutralMessage, Platform } from '../render/message.js';

/** Where a posted message lives, so it can be updated or replied to later. */
export interface MessageRef {
  readonly platform: Platform;
  readonly channel: string;
  /** Slack message ts, Discord message id, console sequence number. */
  readonly id: string;
}

export interface ChatTarget {
  readonly platform: Platform;
  post(channel: string, msg: NeutralMessage): Promise<MessageRef>;
  update(ref: MessageRef, msg: NeutralMessage): Promise<void>;
  /** A short reply in the message's thread (Slack thread_ts, Discord message reference). */
  reply(ref: MessageRef, msg: NeutralMessage): Promise<MessageRef>;
}

/** Closed set of failure reasons; also the metric label of failed deliveries. */
export type FailureReason =
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'auth_error'
  | 'not_found'
  | 'timeout'
  | 'network'
  | 'invalid_message';

export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(
    message: string,
    readonly reason: FailureReason,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
