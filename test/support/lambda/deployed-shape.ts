// The app as deployed, on this machine: the three bundles of `npm run bundle`, each in its own Lambda-like process
// with the environment, timeout and memory of the synthesized app stack (and its layers' files), over the project's
// stand-ins for SQS, Secrets Manager and DynamoDB. Slack reaches the Slack function as Function URL events; the worker
// gets SQS batches from an event source mapping with the template's batch size, the queue's visibility timeout and
// redrive; the reconciler gets the schedule's events.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from '../../../infra/lib/names.js';
import type { AccountConfig } from '../../../src/config.js';
import { sqsOf } from '../../fakes/aws/sqs.js';
import { VETTED_FORM } from '../../fakes/aws/standard-world.js';
import {
  BOT_ACCOUNT,
  functionUrlEvent,
  type LambdaFixture,
  startLambdaFixture,
} from '../../handlers/lambda/lambda-fixture.js';
import { FAKE_BOT } from '../slack/fake-slack-api.js';
import type { SignedRequest } from '../slack/signer.js';
import { type DeployedApp, resolveEnvironment, synthesizeApp } from './deployed-template.js';
import { type Invocation, type LambdaHost, startLambdaHost } from './lambda-host.js';
import { type Delivery, type SqsEventSource, sqsEventSource } from './sqs-event-source.js';

const REGION = 'us-east-1';
const TABLE_PREFIX = 'test-';

/** The keys a function signs its AWS calls with (in Lambda: its execution role's session). */
export interface FunctionKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Who each function is in the fake AWS. The default gives the worker and reconciler the bot's principal and the Slack
 * function a principal allowed only SQS and the secret, with the policies test/handlers/lambda/lambda-fixture.ts
 * writes by hand; a world built from the synthesized roles plugs in here.
 */
export type FunctionIdentities = (fx: LambdaFixture, app: DeployedApp) => Record<FunctionName, FunctionKeys>;

const handWrittenIdentities: FunctionIdentities = (fx) => {
  const keys = (env: Record<string, string>): FunctionKeys => ({
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
  });
  return { slack: keys(fx.slackEnv), worker: keys(fx.env), reconciler: keys(fx.env) };
};

export interface DeployedShapeOptions {
  /** Where `npm run bundle` wrote the bundles (`<dir>/<name>/index.mjs`). */
  bundlesDir: string;
  /** Plain settings, as `-c key=value` would give them to the stack (SLACK_APPROVER_CHANNEL, …). */
  settings: Record<string, string>;
  /** @default the fake world's standard accounts */
  accounts?: AccountConfig[];
  /** Settings only this machine needs on top of the template's (shorter activation polling, …). */
  localSettings?: Record<string, string>;
  /** How long a new agreement stays PENDING in the fake AWS. @default 30 */
  settleMs?: number;
  identities?: FunctionIdentities;
}

export interface DeployedShape {
  fx: LambdaFixture;
  app: DeployedApp;
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

export async function startDeployedShape(options: DeployedShapeOptions): Promise<DeployedShape> {
  const fx = await startLambdaFixture();
  fx.std.world.settleMs = options.settleMs ?? 30;
  const deadLetterQueue = sqsOf(fx.std.world).createQueue(fx.aws.endpoints.sqs, BOT_ACCOUNT, 'bedrock-doctor-jobs-dlq');
  const app = synthesizeApp({
    tablePrefix: TABLE_PREFIX,
    slackSecretArn: fx.secret.arn,
    accounts: options.accounts ?? (fx.std.accounts as AccountConfig[]),
    settings: { SLACK_BOT_ID: FAKE_BOT.botId, SLACK_BOT_USER_ID: FAKE_BOT.userId, ...options.settings },
    useCaseForm: JSON.stringify(VETTED_FORM),
  });
  const identities = (options.identities ?? handWrittenIdentities)(fx, app);
  // What exists only on this machine: where AWS and Slack are, and the function's own keys.
  const endpoints = Object.fromEntries(Object.entries(fx.env).filter(([k]) => k.startsWith('AWS_ENDPOINT_URL_')));
  const local = { refs: { [app.queue.logicalId]: fx.queue.url }, region: REGION, accountId: BOT_ACCOUNT };

  const host = (name: FunctionName): LambdaHost => {
    const deployed = app.functions[name];
    const opt = optFolder(deployed.layerDirs);
    const fromTemplate = resolveEnvironment(deployed.environment, local);
    const env = Object.fromEntries(
      Object.entries(fromTemplate).map(([k, v]) => [k, v.startsWith('/opt/') ? join(opt, v.slice(5)) : v]),
    );
    const keys = identities[name];
    return startLambdaHost({
      name: `bedrock-doctor-${name}`,
      bundleFile: join(options.bundlesDir, name, 'index.mjs'),
      timeoutSeconds: deployed.timeoutSeconds,
      memoryMb: deployed.memoryMb,
      env: {
        ...env,
        ...endpoints,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
        ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
        SLACK_API_URL: fx.slackApi.apiUrl,
        ...options.localSettings,
      },
    });
  };
  const functions = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, host(name)])) as Record<
    FunctionName,
    LambdaHost
  >;
  const events: SqsEventSource = sqsEventSource({
    queue: fx.queue,
    deadLetterQueue,
    ...app.eventSource,
    maxReceiveCount: app.queue.maxReceiveCount,
    now: () => fx.std.world.now(),
    region: REGION,
    invoke: (event) => functions.worker.invoke(event),
  });

  let ticks = 0;
  return {
    fx,
    app,
    functions,
    functionUrl: (signed) => functions.slack.invoke(functionUrlEvent(signed, { base64: true })),
    deliverJobs: () => events.drain(),
    schedule: () =>
      functions.reconciler.invoke({
        version: '0',
        id: `schedule-${++ticks}`,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: BOT_ACCOUNT,
        time: new Date(fx.std.world.now()).toISOString(),
        region: REGION,
        resources: [`arn:aws:events:${REGION}:${BOT_ACCOUNT}:rule/${app.schedule.ruleLogicalId}`],
        detail: {},
      }),
    async close() {
      await Promise.all(Object.values(functions).map((f) => f.close()));
      await fx.close();
    },
  };
}
