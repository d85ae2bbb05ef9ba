import type { MessageRef } from '../chat/target.js';
import type { NeutralMessage } from '../render/message.js';

export type InteractPlatform = 'slack' | 'discord';

/** Who clicked or typed. `roles` are Discord role ids of the member (empty on Slack). */
export interface UserRef {
  readonly platform: InteractPlatform;
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/**
 * An answer to the person who acted. `private` is seen by them alone (Slack ephemeral, Discord
 * flag 64); `thread` is seen by the channel, under the message that was clicked where the
 * platform has threads.
 */
export interface Reply {
  readonly text: string;
  readonly visibility: 'private' | 'thread';
}

/**
 * One button click or slash command, the same for both platforms: receivers build it after
 * verification and the core never sees a request. Text in replies is plain; the receivers escape
 * nothing further, so the core escapes what came from users.
 */
export interface Interaction {
  readonly platform: InteractPlatform;
  readonly user: UserRef;
  readonly kind: 'button' | 'command';
  /** The button's id as sent (`hb:ack:gh:123`), or the sub-command (`mute`). */
  readonly name: string;
  /** Command words after the sub-command; empty for buttons. */
  readonly args: readonly string[];
  /** The copy of the message whose button was clicked. */
  readonly message?: MessageRef;
  reply(r: Reply): Promise<void>;
  /** Edits the clicked copy through the interaction itself (Discord's interaction webhook). */
  updateOriginal?(msg: NeutralMessage): Promise<void>;
}
