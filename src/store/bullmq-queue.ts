import { DelayedError, Queue as Bull, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { failFast } from './redis-backend.js';
import { settledWithin } from './redis-outbox.js';
import type { Consumer, DeadLetter, Outcome, Queue, QueuedJob } from './queue.js';

/** Where Redis is; BullMQ makes its own connections from it (blocking ones need their own settings). */
export type RedisAddress = Pick<RedisOptions, 'host' | 'port' | 'db' | 'username' | 'password' | 'tls'>;

export interface BullmqQueueOptions {
  readonly connection: RedisAddress;
  /** BullMQ key prefix, e.g. `hookbridge:bull` (keys become `hookbridge:bull:<name>:…`). */
  readonly prefix: string;
  readonly name?: string;
  /** How long a worker's job lock lives without renewal: a killed instance's jobs come back after it. */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs whose lock ran out (stalled jobs of a dead instance). */
  readonly stalledIntervalMs?: number;
  /** Stalls tolerated before a job is dead-lettered (each crash of a worker mid-job is one). */
  readonly maxStalledCount?: number;
  /**
   * Completed job ids are kept this long so that adding the same id again (outbox relay running
   * twice, a retried enqueue) is a no-op instead of a second run.
   */
  readonly keepCompletedMs?: number;
}

/** What BullMQ stores: our attempt count travels with the job, so any instance reports it right. */
interface Envelope<J> {
  id: string;
  data: J;
  attempt: number;
  lastError?: string;
}

// BullMQ refuses custom ids that contain ':' or look like integers; this mapping is reversible.
export const bullId = (id: string): string => `j${id.replace(/%/g, '%25').replace(/:/g, '%3A')}`;

/**
 * Queue<J> on BullMQ. The handler's Outcome drives the job: `retry` moves it to delayed with our
 * delay (BullMQ's own attempts/backoff are not used), `dead` fails it for good, and BullMQ's failed
 * set is the dead-letter list (kept until redriven).
 */
export class BullmqQueue<J> implements Queue<J> {
  private readonly bull: Bull;
  private readonly client: Redis;
  private readonly consumers = new Set<Consumer>();
  private readonly name: string;

  /** Resolves once BullMQ has connected and loaded its scripts, so later calls never wait on that. */
  static async open<J>(o: BullmqQueueOptions): Promise<BullmqQueue<J>> {
    const q = new BullmqQueue<J>(o);
    try {
      await q.bull.waitUntilReady();
    } catch (err) {
      await q.close();
      throw err;
    }
    return q;
  }

  private constructor(private readonly o: BullmqQueueOptions) {
    this.name = o.name ?? 'delivery';
    const jobOptions: JobsOptions = {
      removeOnComplete: { age: Math.ceil((o.keepCompletedMs ?? 3_600_000) / 1_000) },
      removeOnFail: false,
      attempts: 1,
    };
    // BullMQ's own connections wait for Redis to come back; the producer gets a fail-fast client of
    // ours instead, so enqueue, depth and dead-letter reads reject during an outage instead of hanging.
    this.client = new Redis({ ...o.connection, ...failFast });
    this.client.on('error', () => undefined);
    this.bull = new Bull(this.name, {
      connection: this.client,
      prefix: o.prefix,
      defaultJobOptions: jobOptions,
    });
    this.bull.on('error', () => undefined);
  }

  async enqueue(jobs: readonly { id: string; data: J; delayMs?: number }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.bull.addBulk(
      jobs.map((j) => ({
        name: 'job',
        data: { id: j.id, data: j.data, attempt: 1 } satisfies Envelope<J>,
        opts: { jobId: bullId(j.id), ...(j.delayMs && { delay: j.delayMs }) },
      })),
    );
  }

  consume(handle: (job: QueuedJob<J>) => Promise<Outcome>, o: { concurrency: number }): Consumer {
    let inFlight = 0;
    let idle: (() => void) | undefined;
    const worker = new Worker<Envelope<J>>(
      this.name,
      async (job, token) => {
        inFlight++;
        try {
          await this.settle(job, token, await this.decide(handle, job.data, job.timestamp));
        } finally {
          if (--inFlight === 0) idle?.();
        }
      },
      {
        // Reconnect within a second of Redis coming back rather than BullMQ's up-to-20 s backoff.
        connection: { ...this.o.connection, retryStrategy: (n: number) => Math.min(n * 100, 1_000) },
        prefix: this.o.prefix,
        concurrency: o.concurrency,
        lockDuration: this.o.lockDurationMs ?? 30_000,
        stalledInterval: this.o.stalledIntervalMs ?? 30_000,
        maxStalledCount: this.o.maxStalledCount ?? 5,
      },
    );
    // Connection trouble is retried by BullMQ; without a listener the 'error' event would crash the process.
    worker.on('error', () => undefined);
    const consumer: Consumer = {
      close: async (timeoutMs = 10_000) => {
        this.consumers.delete(consumer);
        await settledWithin(worker.pause(true), 1_000);
        const finished = inFlight === 0 || (await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), timeoutMs);
          idle = () => (clearTimeout(t), resolve(true));
        }));
        // A forced close leaves unfinished jobs locked; once the lock runs out another worker takes
        // them. Bounded, because closing waits on Redis, which may be the thing that is gone.
        await settledWithin(worker.close(!finished), 2_000);
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async depth() {
    const c = await this.bull.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
    // Oldest age looks at the head of each list only, which keeps it cheap on a long queue.
    const heads = await this.bull.getJobs(['wait', 'prioritized', 'delayed'], 0, 99, true);
    const oldest = heads.reduce<number | undefined>((m, j) => (m === undefined ? j.timestamp : Math.min(m, j.timestamp)), undefined);
    return {
      waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
      delayed: c.delayed ?? 0,
      active: c.active ?? 0,
      dead: c.failed ?? 0,
      ...(oldest !== undefined && { oldestAgeMs: Math.max(0, Date.now() - oldest) }),
    };
  }

  async deadLetters(limit: number): Promise<DeadLetter<J>[]> {
    const jobs = (await this.bull.getFailed(0, limit - 1)) as Job<Envelope<J>>[];
    return jobs.map((j) => ({
      id: j.data.id,
      data: j.data.data,
      attempt: j.data.attempt,
      lastError: j.failedReason || j.data.lastError,
      failedAt: new Date(j.finishedOn ?? j.timestamp).toISOString(),
    }));
  }

  async redrive(id: string): Promise<boolean> {
    const job = (await this.bull.getJob(bullId(id))) as Job<Envelope<J>> | undefined;
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.updateData({ id: job.data.id, data: job.data.data, attempt: 1 });
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      return false; // someone else redrove it first
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close(0)));
    await settledWithin(this.bull.close(), 2_000);
    this.client.disconnect();
  }

  private async decide(handle: (job: QueuedJob<J>) => Promise<Outcome>, env: Envelope<J>, queuedAt: number): Promise<Outcome> {
    try {
      return await handle({ id: env.id, data: env.data, attempt: env.attempt, queuedAt, ...(env.lastError !== undefined && { lastError: env.lastError }) });
    } catch (err) {
      return { kind: 'retry', afterMs: 1_000, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  private async settle(job: Job<Envelope<J>>, token: string | undefined, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'done') return;
    if (outcome.kind === 'dead') {
      await job.updateData({ ...job.data, lastError: outcome.reason });
      throw new UnrecoverableError(outcome.reason);
    }
    // Two writes: a crash between them runs the job again at once with the next attempt number,
    // which the send stage's reference check makes harmless.
    await job.updateData({ ...job.data, attempt: outcome.free ? job.data.attempt : job.data.attempt + 1, lastError: outcome.reason });
    await job.moveToDelayed(Date.now() + outcome.afterMs, token);
    throw new DelayedError();
  }
}
