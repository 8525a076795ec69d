// Lambda entry for the job queue (SQS): runs each message's job with the app's job runner and reports failures one
// by one (`batchItemFailures`), so one poison message does not send its batch back; after the queue's retries it
// lands in the DLQ. Composed once per cold start.
import type { ActivationJob } from '../../src/access/approval-ports.js';
import { JOB_SIGNATURE_ATTRIBUTE } from '../../src/jobs/sqs-job-queue.js';
import type { Logger } from '../../src/log.js';
import { type Background, type BackgroundOptions, composeBackground } from './compose-background.js';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-types.js';
import { parseWorkerJob, workerJobSchema } from './worker-messages.js';

/** How long a settling activation waits on the queue before its next run. */
export const SETTLE_RECHECK_SECONDS = 30;

export interface WorkerFunction {
  handle(event: SqsEvent, context: LambdaContext): Promise<SqsBatchResponse>;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export async function createWorkerFunction(env: Env, options: BackgroundOptions = {}): Promise<WorkerFunction> {
  const bg: Background = await composeBackground(env, 'worker', options);
  const { logger } = bg.logging;
  const schema = workerJobSchema({ slackApiUrl: bg.config.slack.apiUrl });

  /** True when the message is done with (ran, or refused for good); false sends it back to the queue. */
  const runRecord = async (record: SqsRecord): Promise<boolean> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const signature = record.messageAttributes?.[JOB_SIGNATURE_ATTRIBUTE]?.stringValue;
    if (!bg.signer.verify(record.body, signature)) {
      // Not sent by our functions: whoever could put it on the queue, its body is not run.
      logger.error('job refused: missing or wrong signature', { messageId: record.messageId });
      return false;
    }
    const parsed = parseWorkerJob(record.body, schema);
    if ('problem' in parsed) {
      // Not ours or forged: fail it, so it reaches the DLQ (and its alarm) rather than vanishing.
      logger.error('job refused: not a job this worker runs', { messageId: record.messageId, problem: parsed.problem });
      return false;
    }
    const { job } = parsed;
    const reference = 'reference' in job ? job.reference : job.requestId;
    const log = logger.child({ reference, job: job.kind, messageId: record.messageId, receiveCount });
    try {
      await bg.slack.runJob(job);
      if (job.kind === 'activate_request') await continueIfSettling(job, log);
      log.info('job done');
      return true;
    } catch (err) {
      log.error('job failed; SQS will retry it', { err });
      return false;
    }
  };

  /**
   * An activation still settling when its per-run wait ran out stays ACTIVATING; it continues as the same job,
   * delayed, rather than as a function held open (the reconciler would also pick it up, later).
   */
  const continueIfSettling = async (job: ActivationJob, log: Logger) => {
    const request = await bg.store.repository.get(job.requestId);
    if (request?.state !== 'ACTIVATING') return;
    await bg.queue.enqueueAfter(job, SETTLE_RECHECK_SECONDS);
    log.info('activation still settling; continues later', { delaySeconds: SETTLE_RECHECK_SECONDS });
  };

  return {
    handle: (event, context) =>
      bg.logging.within({ awsRequestId: context.awsRequestId }, async () => {
        const outcomes = await Promise.all(event.Records.map(async (r) => ({ r, ok: await runRecord(r) })));
        return {
          batchItemFailures: outcomes.filter((o) => !o.ok).map((o) => ({ itemIdentifier: o.r.messageId })),
        };
      }),
    close: () => bg.close(),
  };
}

let composed: Promise<WorkerFunction> | undefined;

/** The SQS event-source handler (ReportBatchItemFailures is on in the stack). */
export async function handler(event: SqsEvent, context: LambdaContext): Promise<SqsBatchResponse> {
  composed ??= createWorkerFunction(process.env).catch((err: unknown) => {
    composed = undefined;
    throw err;
  });
  return (await composed).handle(event, context);
}
