import type { ChatTarget } from '../chat/target.js';
import type { DeliveryJob } from '../delivery/job.js';
import type { DeliveryLog } from '../delivery/stage.js';
import type { NeutralMessage, Platform } from '../render/message.js';
import type { Runtime } from '../pipeline/runtime.js';
import type { Store } from '../store/open-store.js';
import type { StoredEvent } from '../store/types.js';
import type { AckStore } from './acks.js';
import type { AuditLog } from './audit.js';

/** Everything the platform-neutral core uses, passed explicitly by the composition root. */
export interface InteractDeps {
  readonly store: Store<DeliveryJob>;
  /** The current config version (hot reload swaps it). */
  readonly runtime: () => Runtime;
  /** Resolves a configured target (`slack:#ci`) to its chat client, to update copies of a message. */
  readonly targets: (target: string) => { readonly target: ChatTarget; readonly channel: string } | undefined;
  /** Renders an event for a job without chat-ops state (the core adds it). */
  readonly render: (event: StoredEvent, job: DeliveryJob, platform: Platform) => NeutralMessage;
  readonly acks: AckStore;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly log: DeliveryLog;
  /** Per provider API call (Retry). */
  readonly apiTimeoutMs: number;
}
