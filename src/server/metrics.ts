import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly received: Counter<'source'>;
  /** outcome: accepted, duplicate, or the rejection reason. */
  readonly inbound: Counter<'source' | 'outcome'>;
  readonly ingestSeconds: Histogram<'source'>;
  /** limit: per_ip, per_source or failed_auth. */
  readonly rateLimited: Counter<'source' | 'limit'>;
}

/** One registry per app instance, so tests and several apps in one process never share counters. */
export function createMetrics(o: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (o.defaults) collectDefaultMetrics({ register: registry, prefix: 'hookbridge_' });
  return {
    registry,
    received: new Counter({
      name: 'hookbridge_webhooks_received_total',
      help: 'Inbound webhook requests per source (unknown sources are counted as "unknown").',
      labelNames: ['source'],
      registers: [registry],
    }),
    inbound: new Counter({
      name: 'hookbridge_webhooks_total',
      help: 'Inbound webhooks by outcome: accepted, duplicate, or the rejection reason.',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: 'hookbridge_ingest_duration_seconds',
      help: 'Time from request start to the answer on the inbound path.',
      labelNames: ['source'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'hookbridge_rate_limited_total',
      help: 'Inbound requests refused with 429, by source and the limit that refused them.',
      labelNames: ['source', 'limit'],
      registers: [registry],
    }),
  };
}
