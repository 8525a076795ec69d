import { describe, expect, it } from 'vitest';
import { createInProcessJobQueue, JobQueueFullError } from '../../src/jobs/job-queue.js';
import { createLogger } from '../../src/log.js';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }) };
}

describe('createInProcessJobQueue', () => {
  it('runs every job, never more than `concurrency` at once, and idle() waits for all', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const queue = createInProcessJobQueue<number>({
      logger: recordingLogger().logger,
      concurrency: 2,
      run: async (n) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        done.push(n);
        running -= 1;
      },
    });

    // Act
    for (let i = 0; i < 10; i += 1) await queue.enqueue(i);
    await queue.idle();

    // Assess
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('does not run a job inside enqueue (the caller acks first)', async () => {
    const ran: string[] = [];
    const queue = createInProcessJobQueue<string>({
      logger: recordingLogger().logger,
      run: async (j) => void ran.push(j),
    });
    await queue.enqueue('a');
    expect(ran).toEqual([]);
    await queue.idle();
    expect(ran).toEqual(['a']);
  });

  it('logs a failing job without its payload and keeps going', async () => {
    const { lines, logger } = recordingLogger();
    const ran: string[] = [];
    const queue = createInProcessJobQueue<string>({
      logger,
      describe: () => 'secret-free name',
      run: async (j) => {
        if (j === 'bad') throw new Error('boom');
        ran.push(j);
      },
    });
    await queue.enqueue('bad');
    await queue.enqueue('good');
    await queue.idle();
    expect(ran).toEqual(['good']);
    expect(lines).toEqual([expect.objectContaining({ msg: 'background job failed', job: 'secret-free name' })]);
  });

  it('refuses work beyond its waiting bound', async () => {
    const queue = createInProcessJobQueue<number>({
      logger: recordingLogger().logger,
      concurrency: 1,
      maxWaiting: 2,
      run: () => new Promise((r) => setTimeout(r, 20)),
    });
    await queue.enqueue(1);
    await queue.enqueue(2);
    await queue.enqueue(3);
    await expect(queue.enqueue(4)).rejects.toBeInstanceOf(JobQueueFullError);
    await queue.idle();
  });
});
