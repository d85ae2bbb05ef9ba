import { randomUUID } from 'node:crypto';
import { targetPattern } from '../../config/schema.js';
import { deliveryJobId, type DeliveryJob } from '../../delivery/job.js';
import { plan } from '../../pipeline/ingest.js';
import type { StoredEvent } from '../../store/types.js';
import type { InteractDeps } from '../interact-deps.js';
import { privately, unknownSource, type Command } from './command.js';
import { parseReplayArgs, REPLAY_USAGE, type ReplaySelect } from './replay-args.js';

async function selectEvents(deps: InteractDeps, source: string, select: ReplaySelect): Promise<StoredEvent[]> {
  if ('id' in select) {
    const e = await deps.store.events.get({ source, id: select.id });
    return e ? [e] : [];
  }
  if ('last' in select) return deps.store.events.recent(source, { limit: select.last });
  return deps.store.events.recent(source, { from: new Date(deps.now().getTime() - select.since), limit: 100 });
}

/**
 * Replay jobs: marked `replay` (a mute does not swallow them) with ids of their own, so they are
 * new jobs beside the originals. They go straight to the queue: dedupe state is not touched.
 */
function replayJobs(deps: InteractDeps, event: StoredEvent, to: string | undefined, nonce: string): { id: string; data: DeliveryJob }[] {
  const planned = plan(deps.runtime(), event).map((j) => j.data);
  const base: DeliveryJob[] = to
    ? [{ ...(planned[0] ?? { v: 1, event: { source: event.source, id: event.id }, route: 'replay', actions: [] }), target: to }]
    : planned;
  return base.map((j) => {
    const data: DeliveryJob = { ...j, replay: true };
    return { id: deliveryJobId(data, `:${nonce}`), data };
  });
}

function checkTarget(deps: InteractDeps, to: string): string | undefined {
  if (!targetPattern.test(to)) return `\`${to}\` is not a target: use slack:<#name or id>, discord:<channel id> or console.`;
  if (!deps.targets(to)) return `\`${to}\` is on a platform that is not configured.`;
  return undefined;
}

export const replay: Command = {
  admin: true,
  usage: REPLAY_USAGE,
  summary: 're-send stored events (marked as replays)',
  async run(deps, ix) {
    const parsed = parseReplayArgs(ix.args);
    if ('error' in parsed) return privately(ix, parsed.error);
    const problem = unknownSource(deps, parsed.source) ?? (parsed.to ? checkTarget(deps, parsed.to) : undefined);
    if (problem) return privately(ix, problem);
    const events = (await selectEvents(deps, parsed.source, parsed.select)).reverse();
    if (events.length === 0) return privately(ix, `No stored events of \`${parsed.source}\` match (the log keeps events for a limited time).`);
    const nonce = `${deps.now().getTime()}-${randomUUID().slice(0, 8)}`;
    const jobs = events.flatMap((e) => replayJobs(deps, e, parsed.to, nonce));
    await deps.store.queue.enqueue(jobs);
    const by = ix.user.name || ix.user.id;
    await deps.audit.append({
      at: deps.now().toISOString(), platform: ix.platform, userId: ix.user.id, user: by, action: 'replay', subject: parsed.source,
      detail: `${events.length} events, ${jobs.length} deliveries${parsed.to ? ` to ${parsed.to}` : ''}`,
    });
    const unrouted = events.length - new Set(jobs.map((j) => j.data.event.id)).size;
    const note = unrouted > 0 ? ` ${unrouted} matched no route (use --to to send them somewhere).` : '';
    await privately(ix, `▶️ Replaying ${events.length} event${events.length === 1 ? '' : 's'} of \`${parsed.source}\`: ${jobs.length} deliver${jobs.length === 1 ? 'y' : 'ies'} queued.${note}`);
  },
};
