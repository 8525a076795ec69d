// Activation jobs ride the same SQS queue as every other job: the worker tells them apart by `kind`.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ActivationJob } from '../../src/access/approval-ports.js';
import type { JobSigner } from '../../src/jobs/job-seal.js';
import { createSqsJobQueue, type SqsJobQueue } from '../../src/jobs/sqs-job-queue.js';
import type { Logger } from '../../src/log.js';

export function activationQueue(
  client: SQSClient,
  queueUrl: string,
  logger: Logger,
  signer: JobSigner,
): SqsJobQueue<ActivationJob> {
  return createSqsJobQueue<ActivationJob>({
    client,
    queueUrl,
    logger,
    signer,
    describe: (job) => `activate_request ${job.requestId}`,
  });
}
