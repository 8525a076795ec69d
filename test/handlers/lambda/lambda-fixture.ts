// What the Lambda handlers meet in AWS, on loopback: DynamoDB (dynalite with the table), SQS and Secrets Manager
// (the fake AWS), and Slack's Web API (the fake Slack API). `env` is what the stateless stack would set.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { JobSigner, JobStamp } from '../../../src/jobs/job-seal.js';
import { startEmbeddedDynamoDb } from '../../../src/store/embedded-dynamodb.js';
import { createTableIfMissing, tableName } from '../../../src/store/table-design.js';
import { type FakeSecret, secretsManagerOf } from '../../fakes/aws/secrets-manager.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import { type FakeQueue, sqsOf } from '../../fakes/aws/sqs.js';
import { createStandardWorld, fakeEnv, type StandardWorld } from '../../fakes/aws/standard-world.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../../support/slack/fake-slack-api.js';
import type { SignedRequest } from '../../support/slack/signer.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/slack/slack-harness.js';

export const BOT_ACCOUNT = '111122223333';

export interface LambdaFixture {
  std: StandardWorld;
  aws: FakeAws;
  slackApi: FakeSlackApi;
  queue: FakeQueue;
  secret: FakeSecret;
  /** Items in the table, for assertions on what the functions stored. */
  raw: DynamoDB;
  table: string;
  /** The worker's and reconciler's settings: the bot's keys (Bedrock reads, AssumeRole, SQS, the secret). */
  env: Record<string, string>;
  /** The Slack function's settings: its own keys, allowed only SQS SendMessage and the secret (as in the stack). */
  slackEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startLambdaFixture(): Promise<LambdaFixture> {
  const std = createStandardWorld({
    settleMs: 30,
    botPolicy: {
      allow: ['sts:AssumeRole', 'bedrock:Get*', 'bedrock:List*', 'sqs:SendMessage', 'secretsmanager:GetSecretValue'],
    },
  });
  const slackFn = std.world.addUser(BOT_ACCOUNT, 'bedrock-doctor-slack', {
    allow: ['sqs:SendMessage', 'secretsmanager:GetSecretValue'],
  });
  const aws = await startFakeAws(std.world);
  const slackApi = await startFakeSlackApi();
  const dynamo = await startEmbeddedDynamoDb();
  const raw = new DynamoDB({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const table = tableName('test-');
  await createTableIfMissing(raw, table);
  const queue = sqsOf(std.world).createQueue(aws.endpoints.sqs, BOT_ACCOUNT, 'bedrock-doctor-jobs', 360);
  const secret = secretsManagerOf(std.world).putSecret(
    BOT_ACCOUNT,
    'bedrock-doctor/slack',
    JSON.stringify({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }),
  );
  const env = {
    ...fakeEnv(aws, std.bot),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    DYNAMODB_TABLE_PREFIX: 'test-',
    JOB_QUEUE_URL: queue.url,
    SLACK_SECRET_ARN: secret.arn,
    SLACK_BOT_ID: FAKE_BOT.botId,
    SLACK_BOT_USER_ID: FAKE_BOT.userId,
    SLACK_API_URL: slackApi.apiUrl,
    BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(std.accounts),
    AWS_MAX_ATTEMPTS: '1',
    LOG_LEVEL: 'info',
  };
  const slackEnv = { ...env, AWS_ACCESS_KEY_ID: slackFn.accessKeyId, AWS_SECRET_ACCESS_KEY: slackFn.secretAccessKey };
  return {
    std,
    aws,
    slackApi,
    queue,
    secret,
    raw,
    table,
    env,
    slackEnv,
    close: async () => {
      raw.destroy();
      await Promise.all([aws.close(), slackApi.close(), dynamo.close()]);
    },
  };
}

/** A Function URL event (payload 2.0) carrying a signed Slack request, base64-encoded as AWS may deliver it. */
export function functionUrlEvent(
  signed: SignedRequest,
  options: { base64?: boolean; method?: string } = {},
): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { ...signed.headers, host: 'abc.lambda-url.us-east-1.on.aws', 'user-agent': 'Slackbot 1.0' },
    requestContext: { http: { method: options.method ?? 'POST', path: '/' }, requestId: 'url-req-1' },
    body: options.base64 ? Buffer.from(signed.body, 'utf8').toString('base64') : signed.body,
    isBase64Encoded: Boolean(options.base64),
  };
}

let invocation = 0;
export function lambdaContext(): { awsRequestId: string; getRemainingTimeInMillis: () => number } {
  invocation += 1;
  return { awsRequestId: `aws-req-${invocation}`, getRemainingTimeInMillis: () => 30_000 };
}

/** An SQS record's message attributes for `body` sealed by `signer` (as our functions send it). */
export function sealedAttributes(
  signer: JobSigner,
  body: string,
  stamp?: Partial<JobStamp>,
): Record<string, { stringValue: string; dataType: 'String' }> {
  return Object.fromEntries(
    Object.entries(signer.seal(body, stamp)).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]),
  );
}
