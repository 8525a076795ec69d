// Lanes: jobs of one kind never wait behind jobs of another. Each lane is its own queue (in-process: its own
// workers and its own bound; on Lambda: its own SQS queue), so a flood in one lane leaves the others free.
import {
  createInProcessJobQueue,
  type InProcessJobQueue,
  type InProcessJobQueueOptions,
  type JobQueue,
} from './job-queue.js';

/** One queue in front of several: each job goes to the lane `laneOf` names. */
export function createLanedJobQueue<J, L extends string>(
  laneOf: (job: J) => L,
  lanes: Record<L, JobQueue<J>>,
): JobQueue<J> {
  return { enqueue: (job) => lanes[laneOf(job)].enqueue(job) };
}

export interface InProcessLanesOptions<J, L extends string> extends InProcessJobQueueOptions<J> {
  laneOf: (job: J) => L;
  lanes: readonly L[];
}

/** In-process lanes, each with `concurrency` workers and `maxWaiting` places of its own. */
export function createInProcessLanes<J, L extends string>(options: InProcessLanesOptions<J, L>): InProcessJobQueue<J> {
  const { laneOf, lanes: names, ...queueOptions } = options;
  const lanes = Object.fromEntries(names.map((name) => [name, createInProcessJobQueue(queueOptions)])) as Record<
    L,
    InProcessJobQueue<J>
  >;
  const all = Object.values(lanes) as InProcessJobQueue<J>[];
  const size = () => all.reduce((sum, lane) => sum + lane.size, 0);
  return {
    ...createLanedJobQueue(laneOf, lanes),
    async idle() {
      // A job in one lane may enqueue into another: idle only when every lane is idle at once.
      do await Promise.all(all.map((lane) => lane.idle()));
      while (size() > 0);
    },
    get size() {
      return size();
    },
  };
}
