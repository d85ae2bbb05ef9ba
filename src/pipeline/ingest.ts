import { createHash } from 'node:crypto';
import { deliveryJobId, type DeliveryJob } from '../delivery/job.js';
import { matchRoutes } from '../routing/match.js';
import { MalformedRequestError, type EventFacts, type RawRequest } from '../sources/types.js';
import type { Recorder } from '../store/recorder.js';
import type { StoredEvent } from '../store/types.js';
import { HttpError } from '../server/http-error.js';
import type { ConfiguredSource, Runtime } from './runtime.js';

export interface IngestDeps {
  readonly recorder: Recorder<DeliveryJob>;
  readonly now: () => Date;
}

export interface Ingested {
  readonly outcome: 'accepted' | 'duplicate';
  readonly event: StoredEvent;
  readonly jobs: number;
}

/** Ids become store keys and chat button ids (see interact/action-id.ts): keep them short and printable. */
const MAX_ID = 48;
const safeId = (id: string) => (id.length <= MAX_ID && /^[\x21-\x7e]+$/.test(id) ? id : `h:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`);

/**
 * verify → parse → describe → route → record. Nothing is parsed before verification passed,
 * and the answer is given only after the event and its jobs are durably recorded.
 */
export async function ingest(deps: IngestDeps, runtime: Runtime, source: ConfiguredSource, req: RawRequest): Promise<Ingested> {
  const now = deps.now();
  const verdict = await source.type.verify(req, source.cfg, now);
  if (!verdict.ok) throw new HttpError(401, `webhook authentication failed (${verdict.reason})`, `auth_${verdict.reason}`);

  const { payload, facts, json } = readEvent(source, req);
  const event: StoredEvent = {
    source: source.id,
    id: safeId(facts.id),
    type: facts.type,
    receivedAt: now.toISOString(),
    ...(facts.correlationKey !== undefined && { correlationKey: facts.correlationKey }),
    ...(facts.version !== undefined && { version: facts.version }),
    headers: keptHeaders(source, req),
    payload,
  };
  const jobs = plan(runtime, event);
  const store = runtime.config.store;
  let outcome: 'new' | 'duplicate';
  try {
    outcome = await deps.recorder.record(event, jobs, { dedupeTtlMs: store.dedupeTtl, retentionMs: store.retention, ...(json !== undefined && { payloadJson: json }) });
  } catch (err) {
    throw new HttpError(503, 'the event store is unavailable; retry later', 'store_unavailable', { 'retry-after': '5' }, true);
  }
  return { outcome: outcome === 'new' ? 'accepted' : 'duplicate', event, jobs: jobs.length };
}

function readEvent(source: ConfiguredSource, req: RawRequest): { payload: unknown; facts: EventFacts; json?: string } {
  try {
    if (source.type.parse && !isJson(req)) {
      const payload = source.type.parse(req, source.cfg);
      return { payload, facts: source.type.describe(req, payload, source.cfg) };
    }
    const json = req.body.toString('utf8');
    const payload: unknown = JSON.parse(json);
    return { payload, facts: source.type.describe(req, payload, source.cfg), json };
  } catch (err) {
    if (err instanceof SyntaxError) throw new HttpError(400, 'request body is not valid JSON', 'malformed_json');
    if (err instanceof MalformedRequestError) throw new HttpError(400, err.message, 'malformed_request');
    throw err;
  }
}

const isJson = (req: RawRequest) => /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');

function keptHeaders(source: ConfiguredSource, req: RawRequest): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of source.type.keepHeaders ?? []) {
    const v = req.headers[name];
    if (v !== undefined) kept[name] = v;
  }
  return kept;
}

/** One job per matched route and target. An event that matches no route is recorded, not posted. */
export function plan(runtime: Runtime, event: StoredEvent): { id: string; data: DeliveryJob }[] {
  const jobs: { id: string; data: DeliveryJob }[] = [];
  for (const m of matchRoutes(runtime.routes, { source: event.source, type: event.type, payload: event.payload })) {
    for (const target of m.targets) {
      const data: DeliveryJob = {
        v: 1,
        event: { source: event.source, id: event.id },
        route: m.route,
        target,
        thread: m.thread,
        actions: m.actions,
        ...(m.template !== undefined && { template: m.template }),
      };
      jobs.push({ id: deliveryJobId(data), data });
    }
  }
  return jobs;
}
