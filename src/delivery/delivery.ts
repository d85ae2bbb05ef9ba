import type { ChatTarget, MessageRef } from '../chat/target.js';
import type { NeutralMessage } from '../render/message.js';
import type { StoredEvent } from '../store/types.js';
import type { DeliveryJob } from './job.js';

/** The one value the delivery stages pass along; each stage adds what it produced. */
export interface Delivery {
  readonly job: DeliveryJob;
  /** 1 on the first try. */
  readonly attempt: number;
  readonly event: StoredEvent;
  readonly target: ChatTarget;
  /** Channel as the target understands it (`#ci`, `C123`, a Discord channel id). */
  readonly channel: string;
  readonly message?: NeutralMessage;
  /** The message this delivery posted or updated. */
  readonly ref?: MessageRef;
}
