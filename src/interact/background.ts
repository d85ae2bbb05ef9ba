/**
 * Work done after the platform got its answer (both give 3 seconds). Kept track of so shutdown
 * and tests can wait for it instead of guessing.
 */
export class Background {
  readonly #pending = new Set<Promise<void>>();

  run(work: () => Promise<void>, onError: (err: unknown) => void): void {
    const p = Promise.resolve()
      .then(work)
      .catch(onError)
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Resolves when everything started so far (and anything it started) has finished. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
