import type Router from '@koa/router';
import { AckStore } from './acks.js';
import { AuditLog } from './audit.js';
import { Background } from './background.js';
import { registerDiscordCommands } from './discord-commands.js';
import { createDiscordRouter } from './discord-receiver.js';
import { createInteractionHandler } from './handle-interaction.js';
import type { InteractDeps } from './interact-deps.js';
import type { Interaction } from './interaction.js';
import { SeenRequests } from './seen-requests.js';
import { createSlackRouter } from './slack-receiver.js';

export type InteractionsDeps = Omit<InteractDeps, 'acks' | 'audit' | 'apiTimeoutMs'> & { readonly apiTimeoutMs?: number };

export interface Interactions {
  /** `POST /slack/events` and `POST /discord/interactions`; each answers 404 while its platform is not configured. */
  readonly routers: Router[];
  /** Puts the `/hookbridge` command on Discord (idempotent); does nothing unless token and applicationId are set. */
  registerCommands(): Promise<void>;
  /** The platform-neutral core, for tests and other transports. */
  handle(ix: Interaction): Promise<void>;
  /** Waits for work started after an answer (shutdown, tests). */
  drain(): Promise<void>;
}

/** Chat-ops: both receivers over one core, built once; config is read per request (hot reload). */
export function createInteractions(d: InteractionsDeps): Interactions {
  const config = () => d.runtime().config;
  const timeoutMs = config().delivery.timeout;
  // Provider calls (Retry) get the same per-call deadline as chat calls unless told otherwise.
  const deps: InteractDeps = { ...d, acks: new AckStore(d.store.kv, d.store.lock ? { lock: d.store.lock } : {}), audit: new AuditLog(d.store.kv), apiTimeoutMs: d.apiTimeoutMs ?? timeoutMs };
  const handle = createInteractionHandler(deps);
  const background = new Background();
  const seen = new SeenRequests(d.store.kv, d.store.lock ? { lock: d.store.lock } : {});
  const dispatch = (ix: Interaction, first?: () => Promise<boolean>) =>
    background.run(
      async () => {
        // A store that cannot answer must not swallow the click: then it runs (and reports its own failure).
        if (first && !(await first().catch(() => true))) {
          d.log.info({ platform: ix.platform, kind: ix.kind, name: ix.name }, 'interaction request received again; it was handled the first time');
          return;
        }
        await handle(ix);
      },
      (err) => d.log.error({ platform: ix.platform, err: err instanceof Error ? err.message : String(err) }, 'interaction work failed'),
    );
  const routers = [
    createSlackRouter({
      settings: () => config().slack, bodyLimit: () => config().server.bodyLimit, now: d.now, dispatch, timeoutMs, firstDelivery: (body) => seen.first(body),
    }),
    createDiscordRouter({
      settings: () => config().discord, bodyLimit: () => config().server.bodyLimit, now: d.now, dispatch, timeoutMs, firstDelivery: (body) => seen.first(body),
    }),
  ];
  return {
    routers,
    handle,
    drain: () => background.drain(),
    async registerCommands() {
      const c = config().discord;
      if (!c?.token || !c.applicationId) return;
      await registerDiscordCommands({ token: c.token, applicationId: c.applicationId, apiUrl: c.apiUrl, timeoutMs });
    },
  };
}

export { messageState, applyMessageState, type MessageState } from './message-state.js';
export type { Interaction, Reply, UserRef } from './interaction.js';
