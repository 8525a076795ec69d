// The deploy contract at the handlers: the three Lambda entry points composed from the environment the app template
// gives each function (resolved as CloudFormation would), each with a session of its own template role. The Slack
// function, the worker and the reconciler run a request from submission to ACTIVE and a re-drive; every SQS and
// Secrets Manager call is judged by the template's IAM, and every such grant must be used.
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerFunction, type ReconcilerFunction } from '../../handlers/lambda/reconciler.js';
import { createSlackFunction, type SlackFunction } from '../../handlers/lambda/slack.js';
import { createWorkerFunction, type WorkerFunction } from '../../handlers/lambda/worker.js';
import type { FunctionName } from '../../infra/lib/names.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { ACTION, VIEW } from '../../src/slack/action-ids.js';
import { startEmbeddedDynamoDb } from '../../src/store/embedded-dynamodb.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { createTableIfMissing, tableName } from '../../src/store/table-design.js';
import { secretsManagerOf } from '../fakes/aws/secrets-manager.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { type FakeQueue, sqsOf } from '../fakes/aws/sqs.js';
import { MODELS } from '../fakes/aws/standard-world.js';
import { functionUrlEvent, lambdaContext } from '../handlers/lambda/lambda-fixture.js';
import {
  BOT_ACCOUNT,
  buildDeployedWorld,
  type DeployedWorld,
  ORG_ID,
  onBehalfOrOptIn,
  SLACK_SECRET_ARN,
} from '../support/deploy/deployed-world.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { cardButtonPayload, signInteraction, viewSubmissionPayload } from '../support/slack/signer.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack/slack-harness.js';

const MEMBER = '111122223333';
const APPROVER = 'U0APPROVER1';

let dw: DeployedWorld;
let fake: FakeAws;
let slackApi: FakeSlackApi;
let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamoDb>>;
let raw: DynamoDB;
let queue: FakeQueue;
let store: Store;
const fns: { slack?: SlackFunction; worker?: WorkerFunction; reconciler?: ReconcilerFunction } = {};

/** A function's environment as the template sets it, plus what Lambda and this machine add. */
function envOf(name: FunctionName, extra: Record<string, string>): Record<string, string> {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  const [, fn] =
    Object.entries(dw.templates.app.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${pascal}Function`),
    ) ?? [];
  const vars = dw.app.resolver.resolve(fn?.Properties?.Environment) as { Variables: Record<string, string> };
  const keys = dw.sessionFor(name);
  return {
    ...vars.Variables,
    ...fake.env,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_SESSION_TOKEN: keys.sessionToken,
    SLACK_API_URL: slackApi.apiUrl,
    BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify(dw.accounts),
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

beforeAll(async () => {
  dw = buildDeployedWorld({
    members: [{ id: MEMBER }],
    stateless: {
      organizationId: ORG_ID,
      accounts: [],
      settings: { SLACK_BOT_ID: FAKE_BOT.botId, SLACK_BOT_USER_ID: FAKE_BOT.userId },
    },
    world: { settleMs: 60_000 },
  });
  fake = await startFakeAws(dw.world);
  slackApi = await startFakeSlackApi();
  dynamo = await startEmbeddedDynamoDb();
  raw = new DynamoDB({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await createTableIfMissing(raw, tableName('prod-'));
  // The queue and the secret under the names and ARNs the template points the functions at.
  const jobs = Object.keys(dw.templates.app.Resources).find((id) => /^Jobs[0-9A-F]{8}$/.test(id)) ?? '';
  queue = sqsOf(dw.world).createQueue(fake.endpoints.sqs, BOT_ACCOUNT, dw.app.resolver.physicalName(jobs), 360);
  expect(queue.arn).toBe(dw.app.resolver.arnOf(jobs));
  const secret = secretsManagerOf(dw.world).putSecret(
    BOT_ACCOUNT,
    'bedrock-doctor/slack',
    JSON.stringify({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }),
  );
  secretsManagerOf(dw.world).secrets.delete(secret.arn);
  secretsManagerOf(dw.world).secrets.set(SLACK_SECRET_ARN, { ...secret, arn: SLACK_SECRET_ARN });

  const approval = {
    SLACK_APPROVER_USER_IDS: APPROVER,
    SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
    ACTIVATION_POLL_INTERVAL_MS: '50',
    ACTIVATION_DEADLINE_SECONDS: '10',
    RECONCILE_INTERVAL_SECONDS: '1',
  };
  const quiet = { writeLog: () => {} };
  fns.slack = await createSlackFunction(envOf('slack', approval), quiet);
  fns.worker = await createWorkerFunction(envOf('worker', approval), quiet);
  fns.reconciler = await createReconcilerFunction(envOf('reconciler', approval), quiet);
  store = await openStore(loadConfig(envOf('worker', {})), { logger: silentLogger, mode: 'external', client: raw });
}, 180_000);

afterAll(async () => {
  await Promise.all([fns.slack?.close(), fns.worker?.close(), fns.reconciler?.close(), store?.close()]);
  raw?.destroy();
  await Promise.all([fake?.close(), slackApi?.close(), dynamo?.close()]);
});

/** Hands every visible message to the worker, as the event source mapping would. */
async function pump(): Promise<string[]> {
  const now = dw.world.now();
  const visible = queue.messages.filter((m) => m.visibleAt <= now);
  if (visible.length === 0) return [];
  const result = await fns.worker?.handle(
    {
      Records: visible.map((m) => ({
        messageId: m.messageId,
        body: m.body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: Object.fromEntries(
          Object.entries(m.attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]),
        ),
      })),
    },
    lambdaContext(),
  );
  const failed = new Set(result?.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of visible) if (!failed.has(m.messageId)) queue.messages.splice(queue.messages.indexOf(m), 1);
  return visible.map((m) => JSON.parse(m.body).kind);
}

const click = (payload: Record<string, unknown>) =>
  fns.slack?.handle(functionUrlEvent(signInteraction(SIGNING_SECRET, payload), { base64: true }), lambdaContext());

describe('deploy contract: the Lambda handlers against the templates', () => {
  it('a request, its approval and a settling activation re-driven by the reconciler, each as its own role', async () => {
    const submitted = await click(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: MEMBER, region: 'us-east-1', reason: 'Ticket summaries for support.' },
        { userId: 'U0REQUEST1' },
      ),
    );
    expect(submitted?.statusCode).toBe(200);
    expect(await pump()).toEqual(['submit_request']);
    const [request] = await store.repository.listByModel(MEMBER, 'us-east-1', MODELS.cohere);
    if (!request) throw new Error('no request stored');
    await click(cardButtonPayload(ACTION.approve, request.id, slackApi.responseUrl('approve'), { userId: APPROVER }));
    expect(await pump()).toEqual(['decide']);
    // The agreement settles slowly: the run ends ACTIVATING and hands on a delayed continuation.
    expect(await pump()).toEqual(['activate_request']);
    expect((await store.repository.get(request.id))?.state).toBe('ACTIVATING');
    queue.messages.length = 0; // the continuation is lost, as if the worker died: the reconciler must re-drive

    let redriven = 0;
    for (const deadline = Date.now() + 20_000; redriven === 0 && Date.now() < deadline; ) {
      const summary = await fns.reconciler?.handle(
        { 'detail-type': 'Scheduled Event', time: new Date().toISOString() },
        lambdaContext(),
      );
      redriven = summary?.redriven ?? 0;
    }
    expect(redriven).toBe(1);
    dw.world.settleMs = 0;
    const agreement = dw.world.agreements.get(`${MEMBER}|${MODELS.cohere}`);
    if (agreement) agreement.settleAt = dw.world.now();
    expect(await pump()).toEqual(['activate_request']);
    expect((await store.repository.get(request.id))?.state).toBe('ACTIVE');

    const denied = dw.world.authorizations.filter((a) => !a.allowed);
    expect(denied).toEqual([]);
  }, 120_000);

  it('every SQS and Secrets Manager grant of the function roles was used', () => {
    const exercised = (action: string) => /^(sqs|secretsmanager):/.test(action);
    expect(dw.unusedGrants((a) => onBehalfOrOptIn(a) || !exercised(a))).toEqual([]);
  });
});
