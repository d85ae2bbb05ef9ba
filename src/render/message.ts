/**
 * The platform-neutral message a template renders to. Text is already in the target platform's
 * markup (templates render once per platform, with that platform's escaping helpers); the chat
 * adapters turn it into Block Kit or a Discord embed with components.
 */
export type Platform = 'slack' | 'discord' | 'console';

export type Severity = 'critical' | 'error' | 'warning' | 'info' | 'success' | 'neutral';

export type ActionName = 'ack' | 'retry' | 'mute' | 'resolve';

export interface MessageField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

export interface MessageAction {
  readonly action: ActionName;
  readonly label: string;
  /** Opaque id carried by the button (Slack action_id/value, Discord custom_id): event + action, nothing secret. */
  readonly id: string;
  readonly style?: 'primary' | 'danger';
  readonly disabled?: boolean;
}

export interface NeutralMessage {
  readonly title: string;
  readonly text?: string;
  /** Link for the title. */
  readonly url?: string;
  readonly severity: Severity;
  readonly fields: readonly MessageField[];
  /** Small print under the message (Slack context block, Discord embed footer). */
  readonly footer?: string;
  /** ISO time the event happened. */
  readonly timestamp?: string;
  /** State lines added by chat-ops ("Acknowledged by @ana at 12:03"), shown under the text. */
  readonly status?: readonly string[];
  readonly actions: readonly MessageAction[];
  /** Plain-text summary for notifications and fallbacks. */
  readonly fallback: string;
}
