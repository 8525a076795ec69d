// The job-queue port over Amazon SQS, for the Lambda shape: listeners and the reconciler enqueue, the worker function
// consumes. Jobs travel as JSON; a delay (up to SQS's 15 minutes) lets a long wait continue without a running Lambda.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log.js';
import type { JobQueue } from './job-queue.js';
import type { JobSigner } from './job-seal.js';
import { MAX_DELAY_SECONDS } from './queue-timing.js';

export { MAX_DELAY_SECONDS };
/** SQS's largest message. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface SqsJobQueue<J> extends JobQueue<J> {
  /** Accepts a job that becomes visible to the worker after `delaySeconds` (capped at 900; the worker waits again). */
  enqueueAfter(job: J, delaySeconds: number): Promise<void>;
}

export interface SqsJobQueueOptions<J> {
  client: SQSClient;
  /** `JOB_QUEUE_URL` */
  queueUrl: string;
  logger: Logger;
  /** Names a job in logs without its payload (which may hold pasted text). */
  describe?: (job: J) => string;
  /** Seals each message (id, time and signature attributes); the worker refuses messages without a valid seal. */
  signer?: JobSigner;
}

export class JobTooLargeError extends Error {
  override readonly name = 'JobTooLargeError';
}

export function createSqsJobQueue<J>(options: SqsJobQueueOptions<J>): SqsJobQueue<J> {
  const describe = options.describe ?? (() => 'job');
  const send = async (job: J, delaySeconds: number) => {
    const body = JSON.stringify(job);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_MESSAGE_BYTES) {
      throw new JobTooLargeError(`${describe(job)} is ${bytes} bytes; SQS takes at most ${MAX_MESSAGE_BYTES}`);
    }
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
    const out = await options.client.send(
      new SendMessageCommand({
        QueueUrl: options.queueUrl,
        MessageBody: body,
        DelaySeconds: delay || undefined,
        ...(options.signer ? { MessageAttributes: stringAttributes(options.signer.seal(body)) } : {}),
      }),
    );
    options.logger.debug('job enqueued', { job: describe(job), messageId: out.MessageId, delaySeconds: delay });
  };
  return {
    enqueue: (job) => send(job, 0),
    enqueueAfter: (job, delaySeconds) => send(job, delaySeconds),
  };
}

function stringAttributes(values: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}
