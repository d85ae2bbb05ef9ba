/** What every stage may use besides its input; passed explicitly, never through a context bag. */
export interface StageEnv {
  readonly log: DeliveryLog;
  readonly now: () => Date;
}

/** Structural subset of pino's logger, so tests can pass a recorder. */
export interface DeliveryLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** One step of delivery: returns the (possibly enriched) item, undefined to stop quietly, or throws to fail. */
export interface Stage<T> {
  readonly name: string;
  run(item: T, env: StageEnv): Promise<T | undefined>;
}

/** Runs stages in order; the first that returns undefined ends the chain. */
export function sequence<T>(...stages: Stage<T>[]): Stage<T> {
  return {
    name: stages.map((s) => s.name).join(' > '),
    async run(item, env) {
      let current: T | undefined = item;
      for (const stage of stages) {
        current = await stage.run(current, env);
        if (current === undefined) return undefined;
      }
      return current;
    },
  };
}
