// The approval flow in its production shape: Slack → the Slack function (acks and enqueues) → SQS → the worker
// (submits, decides, activates) and the reconciler on its schedule. Messages move between the functions only through
// the fake SQS queue, as they would in AWS; the Slack function's own identity never calls Bedrock or STS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcilerFunction, type ReconcilerFunction } from '../../../handlers/lambda/reconciler.js';
import { createSlackFunction, type SlackFunction } from '../../../handlers/lambda/slack.js';
import { createWorkerFunction, SETTLE_RECHECK_SECONDS, type WorkerFunction } from '../../../handlers/lambda/worker.js';
import { loadConfig } from '../../../src/config.js';
import { createJobSigner } from '../../../src/jobs/job-seal.js';
import { silentLogger } from '../../../src/log.js';
import { ACTION, VIEW } from '../../../src/slack/action-ids.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { MODELS, SANDBOX } from '../../fakes/aws/standard-world.js';
import { cardButtonPayload, signInteraction, viewSubmissionPayload } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import {
  functionUrlEvent,
  type LambdaFixture,
  lambdaContext,
  sealedAttributes,
  startLambdaFixture,
} from './lambda-fixture.js';

const APPROVER = 'U0APPROVER1';
const REQUESTER = 'U0REQUEST1';
const APPROVER_CHANNEL = 'C0APPROVE1';

let fx: LambdaFixture;
let slack: SlackFunction;
let worker: WorkerFunction;
let reconciler: ReconcilerFunction;
let store: Store;

beforeEach(async () => {
  fx = await startLambdaFixture();
  const approval = {
    SLACK_APPROVER_USER_IDS: APPROVER,
    SLACK_APPROVER_CHANNEL: APPROVER_CHANNEL,
    ACTIVATION_POLL_INTERVAL_MS: '50',
    ACTIVATION_DEADLINE_SECONDS: '10',
  };
  const quiet = { writeLog: () => {} };
  slack = await createSlackFunction({ ...fx.slackEnv, ...approval }, quiet);
  worker = await createWorkerFunction({ ...fx.env, ...approval }, quiet);
  reconciler = await createReconcilerFunction({ ...fx.env, ...approval }, quiet);
  store = await openStore(loadConfig({ ...fx.env }), { logger: silentLogger, mode: 'external', client: fx.raw });
});

afterEach(async () => {
  await Promise.all([slack?.close(), worker?.close(), reconciler?.close(), store?.close()]);
  await fx?.close();
});

/** Hands every visible message to the worker, as the event source mapping would; deletes those it did not fail. */
async function pump(): Promise<string[]> {
  const now = fx.std.world.now();
  const visible = fx.queue.messages.filter((m) => m.visibleAt <= now);
  if (visible.length === 0) return [];
  const result = await worker.handle(
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
  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of visible) if (!failed.has(m.messageId)) fx.queue.messages.splice(fx.queue.messages.indexOf(m), 1);
  return visible.map((m) => JSON.parse(m.body).kind);
}

async function click(payload: Record<string, unknown>) {
  return slack.handle(functionUrlEvent(signInteraction(SIGNING_SECRET, payload), { base64: true }), lambdaContext());
}

async function requestFor(model: string) {
  const [request] = await store.repository.listByModel(SANDBOX, 'us-east-1', model);
  if (!request) throw new Error(`no request for ${model}`);
  return request;
}

function slackFunctionAwsCalls() {
  const slackArn = 'bedrock-doctor-slack';
  return fx.std.world.calls.filter((c) => c.callerArn?.endsWith(slackArn)).map((c) => c.operation);
}

describe('the approval flow across the Slack function, SQS and the worker', () => {
  it('request → card → Approve → activation by the approver\u2019s session → ACTIVE', async () => {
    const submitted = await click(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
        { userId: REQUESTER },
      ),
    );
    expect(submitted.statusCode).toBe(200);
    expect(await pump()).toEqual(['submit_request']);
    const request = await requestFor(MODELS.cohere);
    expect(request.state).toBe('REQUESTED');
    expect(fx.slackApi.callsTo('chat.postMessage').some((c) => c.args.channel === APPROVER_CHANNEL)).toBe(true);

    const pressed = await click(
      cardButtonPayload(ACTION.approve, request.id, fx.slackApi.responseUrl('approve'), { userId: APPROVER }),
    );
    expect(pressed.statusCode).toBe(200);
    expect(await pump()).toEqual(['decide']);
    expect((await store.repository.get(request.id))?.state).toBe('APPROVED');
    // The activation job on the queue is the request id and nothing else.
    expect(fx.queue.messages.map((m) => JSON.parse(m.body))).toEqual([
      { kind: 'activate_request', requestId: request.id },
    ]);

    expect(await pump()).toEqual(['activate_request']);

    const done = await store.repository.get(request.id);
    expect(done?.state).toBe('ACTIVE');
    expect(fx.std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
    expect(fx.std.world.sessions().map((s) => s.sourceIdentity)).toEqual([APPROVER]);
    expect(slackFunctionAwsCalls().filter((op) => op !== 'SendMessage' && op !== 'GetSecretValue')).toEqual([]);
  });

  it('an activation job for a request nobody approved assumes no role and changes nothing, signed or not', async () => {
    await click(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
        { userId: REQUESTER },
      ),
    );
    await pump();
    const request = await requestFor(MODELS.cohere);

    const body = JSON.stringify({ kind: 'activate_request', requestId: request.id });
    // Signed (as if replayed by one of our own functions): the runner reads the request and finds no approval.
    const signed = {
      messageId: 'replayed-1',
      body,
      messageAttributes: sealedAttributes(createJobSigner(SIGNING_SECRET), body),
    };
    const unsigned = { messageId: 'forged-1', body };

    const result = await worker.handle({ Records: [signed, unsigned] }, lambdaContext());

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'forged-1' }] });
    expect((await store.repository.get(request.id))?.state).toBe('REQUESTED');
    expect(fx.std.world.sessions()).toEqual([]);
    expect(fx.std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
  });

  it('an activation still settling at its per-run deadline goes back on the queue, delayed', async () => {
    fx.std.world.settleMs = 60_000;
    await click(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
        { userId: REQUESTER },
      ),
    );
    await pump();
    const request = await requestFor(MODELS.cohere);
    await click(cardButtonPayload(ACTION.approve, request.id, fx.slackApi.responseUrl('a'), { userId: APPROVER }));
    await pump();
    fx.queue.sent.length = 0;

    expect(await pump()).toEqual(['activate_request']);

    expect((await store.repository.get(request.id))?.state).toBe('ACTIVATING');
    expect(fx.queue.sent.map((m) => [JSON.parse(m.body), m.delaySeconds])).toEqual([
      [{ kind: 'activate_request', requestId: request.id }, SETTLE_RECHECK_SECONDS],
    ]);
    expect(fx.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
  }, 30_000);

  it('the reconciler runs on its schedule and reports what it did', async () => {
    const summary = await reconciler.handle(
      { 'detail-type': 'Scheduled Event', time: new Date().toISOString() },
      lambdaContext(),
    );

    expect(summary).toEqual({ redriven: 0, reminded: 0, expired: 0, cardsPosted: 0 });
  });
});
