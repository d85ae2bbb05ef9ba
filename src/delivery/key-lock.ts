/** Runs work for the same key one at a time (in this process), in arrival order. */
export interface KeyLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyLock(): KeyLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run(key, work) {
      const before = tails.get(key) ?? Promise.resolve();
      const mine = before.then(work, work);
      const tail = mine.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await mine;
      } finally {
        // Forget the key once nobody queued behind us, so the map does not grow with every event.
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
