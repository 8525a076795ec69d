// Lambda entry for Slack: a Function URL → the front door → Bolt's AwsLambdaReceiver. It only acks, renders and
// enqueues (`why` is answered inside the ack; status checks and approvals go to SQS for the worker), because work
// left running after a Lambda returns is frozen. Composed once per cold start; holds no Bedrock or STS client.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsLambdaReceiver } from '@slack/bolt';
import type { ActivateModel } from '../../src/access/activation/activate-model.js';
import { cloudWatchFlowMetrics } from '../../src/aws/cloudwatch-metrics.js';
import { envClientConfig } from '../../src/aws/env-client-config.js';
import { withSlackSecrets } from '../../src/aws/slack-secrets.js';
import { loadConfig } from '../../src/config.js';
import { createLanedJobQueue } from '../../src/jobs/job-lanes.js';
import { createJobSigner } from '../../src/jobs/job-seal.js';
import { createSqsJobQueue } from '../../src/jobs/sqs-job-queue.js';
import { createLogger } from '../../src/log.js';
import { accountDirectoryFor } from '../../src/runtime/account-directory.js';
import { composeSlackApp } from '../../src/runtime/compose-slack.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/slack/create-app.js';
import { storeDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { checkSlackRequest } from '../../src/slack/front-door.js';
import { describeSlackJob, slackJobLane } from '../../src/slack/slack-jobs.js';
import { openStore } from '../../src/store/open-store.js';
import { activationQueue } from './activation-queue.js';
import { invocationLogging } from './invocation-logger.js';
import type { FunctionUrlEvent, FunctionUrlResult, LambdaContext } from './lambda-types.js';
import { SLACK_REQUEST_FAILED } from './log-lines.js';
import { jobQueueUrl, statusQueueUrl } from './settings.js';

/** This function holds no Bedrock or STS client: an activation reaching it is a wiring mistake. */
const activationsRunInTheWorker: ActivateModel = async () => {
  throw new Error('activations run in the worker function, not in the Slack function');
};

export interface SlackFunction {
  handle(event: FunctionUrlEvent, context: LambdaContext): Promise<FunctionUrlResult>;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export interface LambdaFunctionOptions {
  /** @default Date.now */
  now?: () => number;
  /** Where JSON log lines go. @default stderr (CloudWatch Logs) */
  writeLog?: (line: string) => void;
}

/** Everything a cold start builds: secrets, config, store, queue, and the Bolt app over the Lambda receiver. */
export async function createSlackFunction(env: Env, options: LambdaFunctionOptions = {}): Promise<SlackFunction> {
  const now = options.now ?? Date.now;
  const config = loadConfig(await withSlackSecrets(env));
  const logging = invocationLogging(
    createLogger({
      level: config.logLevel,
      base: { service: 'bedrock-doctor', function: 'slack' },
      ...(options.writeLog ? { write: options.writeLog } : {}),
    }),
  );
  const { logger } = logging;
  const signingSecret = config.slack.signingSecret;
  if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET is required (set SLACK_SECRET_ARN)');
  const queueUrl = jobQueueUrl(env);
  const signer = createJobSigner({ secret: signingSecret, previous: config.slack.previousSigningSecret });

  // Clients from the injected env (region, endpoint override, the function's keys), one each per cold start.
  const dynamo = new DynamoDB(envClientConfig(env, 'DYNAMODB'));
  const store = await openStore(config, { logger, mode: 'external', client: dynamo });
  const sqs = new SQSClient(envClientConfig(env, 'SQS'));
  const receiver = new AwsLambdaReceiver({ signingSecret, logger: boltLogger(logger, config.logLevel) });
  const slack = composeSlackApp(config, {
    logger,
    transport: { kind: 'receiver', receiver },
    deliveries: storeDeliveryLedger(store.repository),
    // Counted in the table: a person's share holds however many instances their commands reach.
    usage: store.usage,
    now,
    // Status checks go to a queue of their own: a flood of them never delays a decision.
    jobs: () =>
      createLanedJobQueue(slackJobLane, {
        interactive: createSqsJobQueue({ client: sqs, queueUrl, logger, describe: describeSlackJob, signer }),
        status: createSqsJobQueue({
          client: sqs,
          queueUrl: statusQueueUrl(env),
          logger,
          describe: describeSlackJob,
          signer,
        }),
      }),
    // Listeners record requests and decisions as jobs; activations run in the worker, never here.
    approval: {
      repository: store.repository,
      accounts: accountDirectoryFor(config, store.accounts),
      activateModel: activationsRunInTheWorker,
      activationJobs: () => activationQueue(sqs, queueUrl, logger, signer),
    },
    misses: store.misses,
    metrics: cloudWatchFlowMetrics({ logger }),
    // The response is the ack: it must wait for the listener (which has enqueued by then).
    processBeforeResponse: true,
  });
  await slack.init();
  const bolt = receiver.toHandler();

  const serve = async (event: FunctionUrlEvent, context: LambdaContext): Promise<FunctionUrlResult> => {
    const raw = event.body ?? '';
    // Base64 is decoded to bytes here, and the bytes read as UTF-8: Bolt's own decoding reads them as ASCII, which
    // breaks the signature of any body with an em dash, a curly quote, an emoji or CJK text.
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : raw;
    const verdict = checkSlackRequest(
      { method: event.requestContext?.http?.method ?? 'POST', headers: event.headers ?? {}, body, now: now() },
      { signingSecret, bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES },
    );
    if (!verdict.pass) {
      logger.warn('request refused at the front door', { status: verdict.status, reason: verdict.reason });
      return { statusCode: verdict.status, body: '' };
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (name.toLowerCase() !== 'content-type') headers[name] = value;
    }
    headers['content-type'] = verdict.contentType;
    const checked = { ...event, headers, body: verdict.body, isBase64Encoded: false };
    // Bolt's event type wants every API Gateway field; it reads only these (headers, body, isBase64Encoded, path).
    return (await bolt(checked as unknown as Parameters<typeof bolt>[0], context)) as FunctionUrlResult;
  };

  return {
    handle: (event, context) =>
      logging.within({ awsRequestId: context.awsRequestId }, async () => {
        try {
          return await serve(event, context);
        } catch (err) {
          logger.error(SLACK_REQUEST_FAILED, { err });
          return { statusCode: 500, body: '' };
        }
      }),
    async close() {
      sqs.destroy();
      await store.close();
      dynamo.destroy();
    },
  };
}

let composed: Promise<SlackFunction> | undefined;

/** The Function URL handler (two arguments, async: Node.js 24 runtimes refuse callback handlers). */
export async function handler(event: FunctionUrlEvent, context: LambdaContext): Promise<FunctionUrlResult> {
  composed ??= createSlackFunction(process.env).catch((err: unknown) => {
    composed = undefined; // the next invocation tries again (a secret fixed, a throttle passed)
    throw err;
  });
  return (await composed).handle(event, context);
}
