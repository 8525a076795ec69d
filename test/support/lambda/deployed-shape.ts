// The app as deployed, on this machine: the three bundles of `npm run bundle`, each in its own Lambda-like process
// with the environment, role, timeout, memory and layers of the synthesized app stack, over the project's stand-ins
// for SQS, Secrets Manager and DynamoDB. The fake AWS holds the templates' own IAM: the app stack's roles and the
// member stack's roles in the bot's account (its own registered account), so a call the templates do not grant
// fails here as it would in AWS. Slack reaches the Slack function as Function URL events; the worker gets SQS batches
// from an event source mapping with the template's batch size, the queue's visibility timeout and redrive; the
// reconciler gets the schedule's events.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { FUNCTION_NAMES, type FunctionName, roleArn } from '../../../infra/lib/names.js';
import type { AccountConfig } from '../../../src/config.js';
import { startEmbeddedDynamoDb } from '../../../src/store/embedded-dynamodb.js';
import { createTableIfMissing, tableName } from '../../../src/store/table-design.js';
import { secretsManagerOf } from '../../fakes/aws/secrets-manager.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import { type FakeQueue, sqsOf } from '../../fakes/aws/sqs.js';
import { addStandardCatalogue, VETTED_FORM } from '../../fakes/aws/standard-world.js';
import { type DeployedStack, deployTemplate, lambdaSession } from '../../fakes/aws/template-world.js';
import { FakeAwsWorld } from '../../fakes/aws/world.js';
import { functionUrlEvent } from '../../handlers/lambda/lambda-fixture.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../slack/fake-slack-api.js';
import type { SignedRequest } from '../slack/signer.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/slack-harness.js';
import { type DeployedApp, synthesizeApp } from './deployed-template.js';
import { type Invocation, type LambdaHost, startLambdaHost } from './lambda-host.js';
import { type Delivery, sqsEventSource } from './sqs-event-source.js';

export const BOT_ACCOUNT = '999988887777';
const ORG_ID = 'o-a1b2c3d4e5';
const EXTERNAL_ID = 'org-wide-external-id';
const REGION = 'us-east-1';
const TABLE_PREFIX = 'demo-';

export interface DeployedShapeOptions {
  /** Where `npm run bundle` wrote the bundles (`<dir>/<name>/index.mjs`). */
  bundlesDir: string;
  /** Plain settings, as `-c key=value` would give them to the stack (SLACK_APPROVER_CHANNEL, …). */
  settings: Record<string, string>;
  /** Overrides for the bot's own account entry (approver channel, …). */
  account?: Partial<AccountConfig>;
  /** Settings only this machine needs on top of the template's (shorter activation polling, …). */
  localSettings?: Record<string, string>;
  /** How long a new agreement stays PENDING in the fake AWS. @default 30 */
  settleMs?: number;
}

export interface DeployedShape {
  world: FakeAwsWorld;
  aws: FakeAws;
  slackApi: FakeSlackApi;
  app: DeployedApp;
  queue: FakeQueue;
  deadLetterQueue: FakeQueue;
  /** The registered account: the bot's own, with the member stack's roles. */
  account: AccountConfig;
  /** The table, for reading what the functions stored. */
  dynamo: DynamoDB;
  /** Settings that open the same table from this process (`openStore(loadConfig(storeEnv), …)`). */
  storeEnv: Record<string, string>;
  functions: Record<FunctionName, LambdaHost>;
  /** A signed Slack request, as the Function URL hands it to the Slack function (base64 body, payload 2.0). */
  functionUrl(signed: SignedRequest): Promise<Invocation>;
  /** The event source mapping: delivers every visible job to the worker, batch by batch, until none is visible. */
  deliverJobs(): Promise<Delivery[]>;
  /** One tick of the reconciler's schedule. */
  schedule(): Promise<Invocation>;
  close(): Promise<void>;
}

/** A function's /opt: the files of its layers, as Lambda unpacks them. */
function optFolder(layerDirs: string[]): string {
  const opt = mkdtempSync(join(tmpdir(), 'lambda-opt-'));
  for (const dir of layerDirs) cpSync(dir, opt, { recursive: true });
  return opt;
}

/** The stand-ins for AWS (its IAM still empty), DynamoDB and Slack, with the table and the Slack secret. */
async function startStandIns(settleMs: number) {
  const world = addStandardCatalogue(new FakeAwsWorld({ settleMs }));
  world.addAccount(BOT_ACCOUNT, { orgId: ORG_ID });
  const [aws, slackApi, embedded] = await Promise.all([
    startFakeAws(world),
    startFakeSlackApi(),
    startEmbeddedDynamoDb(),
  ]);
  const dynamo = new DynamoDB({
    region: REGION,
    endpoint: embedded.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTableIfMissing(dynamo, tableName(TABLE_PREFIX));
  const secret = secretsManagerOf(world).putSecret(
    BOT_ACCOUNT,
    'bedrock-doctor/slack',
    JSON.stringify({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }),
  );
  return { world, aws, slackApi, embedded, dynamo, secret };
}

/** The app stack's roles in the bot account, and the member stack's there too (the bot reads its own account). */
function deployIam(world: FakeAwsWorld, app: DeployedApp): DeployedStack {
  const deployed = deployTemplate(world, app.template, { accountId: BOT_ACCOUNT, region: REGION, stackName: 'App' });
  deployTemplate(world, app.memberTemplate, {
    accountId: BOT_ACCOUNT,
    region: REGION,
    stackName: 'StackSet-BedrockDoctorMember',
    parameters: {
      BotAccountId: BOT_ACCOUNT,
      ExternalId: EXTERNAL_ID,
      ...(app.memberTemplate.Parameters?.Stage ? { Stage: 'prod' } : {}),
    },
  });
  return deployed;
}

/** One function, as Lambda would start it: the template's environment, /opt from its layers, its role's keys. */
function startFunction(
  name: FunctionName,
  app: DeployedApp,
  deployed: DeployedStack,
  local: { world: FakeAwsWorld; machineEnv: Record<string, string>; bundlesDir: string },
): LambdaHost {
  const fn = app.functions[name];
  const opt = optFolder(fn.layerDirs);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(fn.environment)) {
    const text = String(deployed.resolver.resolve(value));
    env[key] = text.startsWith('/opt/') ? join(opt, text.slice(5)) : text;
  }
  const keys = lambdaSession(local.world, String(deployed.resolver.resolve(fn.role)), `bedrock-doctor-${name}`);
  return startLambdaHost({
    name: `bedrock-doctor-${name}`,
    bundleFile: join(local.bundlesDir, name, 'index.mjs'),
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_SESSION_TOKEN: keys.sessionToken,
      ...local.machineEnv,
    },
  });
}

/** The event EventBridge hands the reconciler on each tick of its schedule. */
function scheduledEvent(app: DeployedApp, tick: number, now: number) {
  return {
    version: '0',
    id: `schedule-${tick}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: BOT_ACCOUNT,
    time: new Date(now).toISOString(),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${BOT_ACCOUNT}:rule/${app.schedule.ruleLogicalId}`],
    detail: {},
  };
}

export async function startDeployedShape(options: DeployedShapeOptions): Promise<DeployedShape> {
  const { world, aws, slackApi, embedded, dynamo, secret } = await startStandIns(options.settleMs ?? 30);
  const account: AccountConfig = {
    id: BOT_ACCOUNT,
    alias: 'bot',
    regions: [REGION, 'us-west-2'],
    readRoleArn: roleArn(BOT_ACCOUNT, 'read'),
    activationRoleArn: roleArn(BOT_ACCOUNT, 'activation'),
    externalId: EXTERNAL_ID,
    default: true,
    ...options.account,
  };
  const app = synthesizeApp({
    tablePrefix: TABLE_PREFIX,
    slackSecretArn: secret.arn,
    accounts: [account],
    settings: { SLACK_BOT_ID: FAKE_BOT.botId, SLACK_BOT_USER_ID: FAKE_BOT.userId, ...options.settings },
    useCaseForm: JSON.stringify(VETTED_FORM),
  });
  const deployed = deployIam(world, app);
  const sqs = sqsOf(world);
  const queueName = deployed.resolver.physicalName(app.queue.logicalId);
  const queue = sqs.createQueue(aws.endpoints.sqs, BOT_ACCOUNT, queueName, app.queue.visibilityTimeoutSeconds);
  const deadLetterQueue = sqs.createQueue(aws.endpoints.sqs, BOT_ACCOUNT, `${queueName}-dlq`);
  const statusQueue = sqs.createQueue(
    aws.endpoints.sqs,
    BOT_ACCOUNT,
    deployed.resolver.physicalName(app.statusQueue.logicalId),
    app.statusQueue.visibilityTimeoutSeconds,
  );
  // What exists only on this machine: where AWS, DynamoDB and Slack are.
  const machineEnv = {
    ...aws.env,
    AWS_ENDPOINT_URL_DYNAMODB: embedded.endpoint,
    SLACK_API_URL: slackApi.apiUrl,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    ...options.localSettings,
  };
  const local = { world, machineEnv, bundlesDir: options.bundlesDir };
  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, startFunction(name, app, deployed, local)]),
  ) as Record<FunctionName, LambdaHost>;
  const events = sqsEventSource({
    queue,
    deadLetterQueue,
    ...app.eventSource,
    maxReceiveCount: app.queue.maxReceiveCount,
    now: () => world.now(),
    region: REGION,
    invoke: (event) => functions.worker.invoke(event),
  });
  const statusEvents = sqsEventSource({
    queue: statusQueue,
    deadLetterQueue,
    ...app.statusQueue.eventSource,
    maxReceiveCount: app.statusQueue.maxReceiveCount,
    now: () => world.now(),
    region: REGION,
    invoke: (event) => functions.worker.invoke(event),
  });
  let ticks = 0;
  return {
    ...{ world, aws, slackApi, app, queue, deadLetterQueue, account, dynamo, functions },
    storeEnv: { DYNAMODB_TABLE_PREFIX: TABLE_PREFIX, AWS_REGION: REGION },
    functionUrl: (signed) => functions.slack.invoke(functionUrlEvent(signed, { base64: true })),
    deliverJobs: async () => [...(await statusEvents.drain()), ...(await events.drain())],
    schedule: () => functions.reconciler.invoke(scheduledEvent(app, ++ticks, world.now())),
    async close() {
      await Promise.all(Object.values(functions).map((f) => f.close()));
      dynamo.destroy();
      await Promise.all([aws.close(), slackApi.close(), embedded.close()]);
    },
  };
}
