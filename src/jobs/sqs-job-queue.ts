// The job-queue port over Amazon SQS, for the Lambda shape: listeners and the reconciler enqueue, the worker function
// consumes. Jobs travel as JSON; a delay (up to SQS's 15 minutes) lets a long wait continue without a running Lambda.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log.js';
import type { JobQueue } from './job-queue.js';

/** SQS's longest per-message delay. */
export const MAX_DELAY_SECONDS = 900;
/** SQS's largest message. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The message attribute carrying a job's signature. */
export const JOB_SIGNATURE_ATTRIBUTE = 'bd-job-signature';

export interface JobSigner {
  sign(body: string): string;
  /** True only for the exact body this signer signed. */
  verify(body: string, signature: string | undefined): boolean;
}

/**
 * Signs job bodies with a key derived from `secret` (the Slack signing secret, which every function holds), so the
 * worker runs only jobs our functions sent: a message put on the queue by any other principal is refused.
 */
export function createJobSigner(secret: string): JobSigner {
  // A key of its own, derived for this one purpose: the Slack signing secret itself signs nothing but Slack's requests.
  const key = createHmac('sha256', secret).update('bedrock-doctor job queue v1').digest();
  const sign = (body: string) => createHmac('sha256', key).update(body, 'utf8').digest('hex');
  return {
    sign,
    verify(body, signature) {
      if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
      return timingSafeEqual(Buffer.from(sign(body), 'hex'), Buffer.from(signature, 'hex'));
    },
  };
}

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
  /** Signs each message (attribute `bd-job-signature`); the worker refuses messages without a valid one. */
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
        ...(options.signer
          ? {
              MessageAttributes: {
                [JOB_SIGNATURE_ATTRIBUTE]: { DataType: 'String', StringValue: options.signer.sign(body) },
              },
            }
          : {}),
      }),
    );
    options.logger.debug('job enqueued', { job: describe(job), messageId: out.MessageId, delaySeconds: delay });
  };
  return {
    enqueue: (job) => send(job, 0),
    enqueueAfter: (job, delaySeconds) => send(job, delaySeconds),
  };
}
