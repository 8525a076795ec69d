// Background work behind a small port: Slack listeners enqueue, a runner does the slow part (AWS, Web API calls).
// Jobs are plain JSON data so a durable queue (SQS) can carry them later; the in-process queue serves the local run.
import type { Logger } from '../log.js';

export interface JobQueue<J> {
  /** Accepts a job for background processing; resolves once accepted, not once done. */
  enqueue(job: J): Promise<void>;
}

/** Does one job. Errors are the runner's to report to the user; the queue only logs what escapes. */
export type JobRunner<J> = (job: J) => Promise<void>;

export interface InProcessJobQueue<J> extends JobQueue<J> {
  /** Resolves when no job is running or waiting (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Jobs running or waiting right now. */
  readonly size: number;
}

export interface InProcessJobQueueOptions<J> {
  run: JobRunner<J>;
  logger: Logger;
  /**
   * Jobs run at the same time; the rest wait in order.
   * @default 4
   */
  concurrency?: number;
  /**
   * Jobs allowed to wait; beyond it `enqueue` rejects, so a flood cannot exhaust memory.
   * @default 1000
   */
  maxWaiting?: number;
  /** Names a job in logs without logging its payload (which may hold pasted text). */
  describe?: (job: J) => string;
}

export class JobQueueFullError extends Error {
  override readonly name = 'JobQueueFullError';
}

export function createInProcessJobQueue<J>(options: InProcessJobQueueOptions<J>): InProcessJobQueue<J> {
  const concurrency = options.concurrency ?? 4;
  const maxWaiting = options.maxWaiting ?? 1000;
  const describe = options.describe ?? (() => 'job');
  const waiting: J[] = [];
  let running = 0;
  let idleWaiters: Array<() => void> = [];

  const settleIfIdle = () => {
    if (running > 0 || waiting.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pump = () => {
    while (running < concurrency && waiting.length > 0) {
      const job = waiting.shift() as J;
      running += 1;
      // Started on the next tick so enqueue() never runs job code in the caller's stack (before its ack).
      setImmediate(() => {
        options
          .run(job)
          .catch((err: unknown) => options.logger.error('background job failed', { job: describe(job), err }))
          .finally(() => {
            running -= 1;
            pump();
            settleIfIdle();
          });
      });
    }
  };

  return {
    async enqueue(job) {
      if (waiting.length >= maxWaiting) throw new JobQueueFullError(`job queue is full (${maxWaiting} waiting)`);
      waiting.push(job);
      pump();
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get size() {
      return running + waiting.length;
    },
  };
}
