// Runs a task now and then every `intervalMs`, never two at once (a slow run delays the next instead of piling up).
// The local server drives the approval reconciler with it; production uses a schedule instead.
import type { Logger } from '../log.js';

export interface Periodic {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function runEvery(task: () => Promise<unknown>, intervalMs: number, logger: Logger, name: string): Periodic {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = task()
      .then(
        () => undefined,
        (err: unknown) => logger.error(`${name} failed`, { err }),
      )
      .finally(() => {
        // unref: a pending run never keeps a stopping process alive.
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
