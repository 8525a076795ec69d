// What the worker and the reconciler compose once per cold start: secrets, config, the external store, the AWS
// adapters (Bedrock, STS), the SQS queue (to re-enqueue) and the Slack app whose job runner does the work. No HTTP
// reaches this app; Bolt still wants a receiver, and the Lambda one is the lightest.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsLambdaReceiver } from '@slack/bolt';
import { cloudWatchFlowMetrics } from '../../src/aws/cloudwatch-metrics.js';
import { envClientConfig } from '../../src/aws/env-client-config.js';
import { withSlackSecrets } from '../../src/aws/slack-secrets.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createJobSigner, type JobSigner } from '../../src/jobs/job-seal.js';
import { createSqsJobQueue, type SqsJobQueue } from '../../src/jobs/sqs-job-queue.js';
import { createLogger } from '../../src/log.js';
import { accountDirectoryFor } from '../../src/runtime/account-directory.js';
import { type AccessServices, createAccessServices } from '../../src/runtime/compose-access.js';
import { composeSlackApp } from '../../src/runtime/compose-slack.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import type { SlackApp } from '../../src/slack/create-app.js';
import { storeDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { describeSlackJob, type SlackJob } from '../../src/slack/slack-jobs.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { activationQueue } from './activation-queue.js';
import { type InvocationLogging, invocationLogging } from './invocation-logger.js';
import { jobQueueUrl } from './settings.js';

type Env = Record<string, string | undefined>;

export interface BackgroundOptions {
  /** Where JSON log lines go. @default stderr (CloudWatch Logs) */
  writeLog?: (line: string) => void;
  /** The worker's clock, for the age of jobs (tests). @default Date.now */
  now?: () => number;
}

export interface Background {
  config: Config;
  logging: InvocationLogging;
  store: Store;
  access: AccessServices;
  slack: SlackApp;
  /** The job queue, with delays: a long wait continues as a delayed message. */
  queue: SqsJobQueue<SlackJob>;
  /** Checks that a message came from one of our functions. */
  signer: JobSigner;
  close(): Promise<void>;
}

export async function composeBackground(
  env: Env,
  name: 'worker' | 'reconciler',
  options: BackgroundOptions = {},
): Promise<Background> {
  const config = loadConfig(await withSlackSecrets(env));
  const logging = invocationLogging(
    createLogger({
      level: config.logLevel,
      base: { service: 'bedrock-doctor', function: name },
      ...(options.writeLog ? { write: options.writeLog } : {}),
    }),
  );
  const { logger } = logging;
  const queueUrl = jobQueueUrl(env);
  const signingSecret = config.slack.signingSecret;
  if (!signingSecret)
    throw new Error('SLACK_SIGNING_SECRET is required (set SLACK_SECRET_ARN): it keys job signatures');
  const signer = createJobSigner({ secret: signingSecret, previous: config.slack.previousSigningSecret });
  const dynamo = new DynamoDB(envClientConfig(env, 'DYNAMODB'));
  const store = await openStore(config, { logger, mode: 'external', client: dynamo });
  const accounts = accountDirectoryFor(config, store.accounts);
  const access = createAccessServices(config, { env, accounts });
  const sqs = new SQSClient(envClientConfig(env, 'SQS'));
  const queue = createSqsJobQueue<SlackJob>({ client: sqs, queueUrl, logger, describe: describeSlackJob, signer });
  const receiver = new AwsLambdaReceiver({
    signingSecret,
    logger: boltLogger(logger, config.logLevel),
  });
  const slack = composeSlackApp(config, {
    logger,
    transport: { kind: 'receiver', receiver },
    deliveries: storeDeliveryLedger(store.repository),
    checkStatus: access.checkStatus,
    jobs: () => queue,
    metrics: cloudWatchFlowMetrics({ logger }),
    approval: {
      repository: store.repository,
      accounts,
      activateModel: access.activateModel,
      // Activations the reconciler re-drives (and the worker continues) go to the same queue, for the worker.
      activationJobs: () => activationQueue(sqs, queueUrl, logger, signer),
    },
  });
  await slack.init();
  return {
    config,
    logging,
    store,
    access,
    slack,
    queue,
    signer,
    async close() {
      access.close();
      sqs.destroy();
      await store.close();
      dynamo.destroy();
    },
  };
}
