/** What a job handler decided; the queue carries it out (retry is a re-enqueue with a delay, never a sleep). */
export type Outcome =
  | { kind: 'done' }
  /** `free`: not counted as an attempt (a rate limit: the platform asked us to wait, nothing failed). */
  | { kind: 'retry'; afterMs: number; reason: string; free?: boolean }
  | { kind: 'dead'; reason: string };

export interface QueuedJob<J> {
  readonly id: string;
  readonly data: J;
  /** 1 on the first try. */
  readonly attempt: number;
  /** When the job was first queued (ms since the epoch). */
  readonly queuedAt?: number;
  readonly lastError?: string;
}

export interface DeadLetter<J> extends QueuedJob<J> {
  readonly failedAt: string;
}

export interface Consumer {
  /** Stop taking jobs; resolves when in-flight handlers have finished or were handed back. */
  close(timeoutMs?: number): Promise<void>;
}

export interface Queue<J> {
  /** Durable once resolved. */
  enqueue(jobs: readonly { id: string; data: J; delayMs?: number }[]): Promise<void>;
  consume(handle: (job: QueuedJob<J>) => Promise<Outcome>, o: { concurrency: number }): Consumer;
  depth(): Promise<{ waiting: number; delayed: number; active: number; dead: number; oldestAgeMs?: number }>;
  deadLetters(limit: number): Promise<DeadLetter<J>[]>;
  /** Move a dead letter back to the queue with a fresh attempt count. */
  redrive(id: string): Promise<boolean>;
  close(): Promise<void>;
}
