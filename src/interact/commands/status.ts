import { formatUtc } from '../../render/helpers/time.js';
import type { InteractDeps } from '../interact-deps.js';
import type { Command } from './command.js';

/** Events scanned per source for the counts; beyond it the count reads "N+". */
const SCAN = 10_000;
const DAY_MS = 86_400_000;

async function sourceLines(deps: InteractDeps): Promise<string[]> {
  const now = deps.now().getTime();
  const lines: string[] = [];
  for (const id of deps.runtime().sources.keys()) {
    const events = await deps.store.events.recent(id, { limit: SCAN });
    const day = events.filter((e) => Date.parse(e.receivedAt) >= now - DAY_MS).length;
    const last = events[0] ? `last event ${formatUtc(new Date(events[0].receivedAt))}` : 'no events yet';
    const total = events.length >= SCAN ? `${SCAN}+` : String(events.length);
    lines.push(`• \`${id}\`: ${last}; ${day} in 24h, ${total} in the log`);
  }
  return lines.length > 0 ? lines : ['• (no sources configured)'];
}

async function muteLines(deps: InteractDeps): Promise<string[]> {
  const mutes = await deps.store.mutes.list();
  if (mutes.length === 0) return ['• none'];
  return mutes.map((m) => `• \`${m.source}\` until ${formatUtc(new Date(m.until))}, by ${m.by}${m.reason ? `: ${m.reason}` : ''}`);
}

async function queueLines(deps: InteractDeps): Promise<string[]> {
  const d = await deps.store.queue.depth();
  const lines = [`• ${d.waiting} waiting, ${d.delayed} delayed, ${d.active} active, ${d.dead} dead letters`];
  for (const dl of await deps.store.queue.deadLetters(5)) {
    lines.push(`  ✖ \`${dl.data.event.source}/${dl.data.event.id}\` → ${dl.data.target} at ${formatUtc(new Date(dl.failedAt))}: ${(dl.lastError ?? 'failed').slice(0, 120)}`);
  }
  return lines;
}

export const status: Command = {
  admin: false,
  usage: 'status',
  summary: 'sources, mutes, queue and dead letters',
  async run(deps, ix) {
    const text = ['*Sources*', ...(await sourceLines(deps)), '*Mutes*', ...(await muteLines(deps)), '*Queue*', ...(await queueLines(deps))].join('\n');
    await ix.reply({ visibility: 'private', text });
  },
};
