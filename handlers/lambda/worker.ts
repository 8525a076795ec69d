// Lambda entry for the job queue (SQS): runs each message's job with the app's job runner and reports failures one
// by one (`batchItemFailures`), so one poison message does not send its batch back; after the queue's retries it
// lands in the DLQ. Each message's seal is opened first (signature, age), and each job id runs once: a copy of a
// job is answered with its first run's outcome. Composed once per cold start.
import type { ActivationJob } from '../../src/access/approval-ports.js';
import { JOB_RETRY_SPAN_SECONDS } from '../../src/jobs/queue-timing.js';
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
  const now = options.now ?? Date.now;
  const schema = workerJobSchema({ slackApiUrl: bg.config.slack.apiUrl });

  /** True when the message is done with (ran, or refused for good); false sends it back to the queue. */
  const runRecord = async (record: SqsRecord): Promise<boolean> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const attributes = Object.fromEntries(
      Object.entries(record.messageAttributes ?? {}).map(([name, value]) => [name, value?.stringValue]),
    );
    const seal = bg.signer.open(record.body, attributes, now());
    if (!seal.ok) {
      // Not sent by our functions, or a copy kept past any real retry: whoever put it on the queue, it is not run.
      const msg =
        seal.reason === 'age' ? 'job refused: older than any retry' : 'job refused: missing or wrong signature';
      logger.error(msg, { messageId: record.messageId, problem: seal.problem });
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
    const jobId = seal.stamp.id;
    const claim = await bg.store.jobRuns
      .begin(jobId, record.messageId, JOB_RETRY_SPAN_SECONDS * 2)
      .catch((err: unknown) => {
        // Not knowing whether it ran, do not run it now: SQS brings it back.
        log.error('job not run: its first outcome could not be read', { jobId, err });
        return undefined;
      });
    if (!claim) return false;
    if (!claim.first && claim.messageId !== record.messageId) {
      // A second message with the same sealed job: never a second run (the clicker's rights may have changed since).
      // Its first message is SQS's to retry if that run failed; this copy is done with either way.
      log.warn('job replay answered with its first outcome', {
        jobId,
        firstMessageId: claim.messageId,
        firstOutcome: claim.outcome,
      });
      return true;
    }
    try {
      await bg.slack.runJob(job);
      if (job.kind === 'activate_request') await continueIfSettling(job, log);
      await bg.store.jobRuns.finish(jobId, 'done');
      log.info('job done');
      return true;
    } catch (err) {
      log.error('job failed; SQS will retry it', { err });
      await bg.store.jobRuns.finish(jobId, 'failed').catch(() => undefined);
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
