// The worker Lambda under SQS's at-least-once delivery: the same activation job handed to two worker containers at
// once (a redelivery while the first run is still going) makes one agreement and one ACTIVE request. The Slack
// function, the queue, DynamoDB and AWS are the production shapes on loopback (see handlers/lambda/).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackFunction, type SlackFunction } from '../../handlers/lambda/slack.js';
import { createWorkerFunction, type WorkerFunction } from '../../handlers/lambda/worker.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { ACTION, VIEW } from '../../src/slack/action-ids.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import {
  functionUrlEvent,
  type LambdaFixture,
  lambdaContext,
  startLambdaFixture,
} from '../handlers/lambda/lambda-fixture.js';
import { cardButtonPayload, signInteraction, viewSubmissionPayload } from '../support/slack/signer.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

const APPROVER = 'U0APPROVER1';
const REQUESTER = 'U0REQUEST1';

let fx: LambdaFixture;
let slack: SlackFunction;
let workers: WorkerFunction[];
let store: Store;

beforeEach(async () => {
  fx = await startLambdaFixture();
  const approval = {
    SLACK_APPROVER_USER_IDS: APPROVER,
    SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
    ACTIVATION_POLL_INTERVAL_MS: '50',
    ACTIVATION_DEADLINE_SECONDS: '10',
  };
  const quiet = { writeLog: () => {} };
  slack = await createSlackFunction({ ...fx.slackEnv, ...approval }, quiet);
  // Two containers of the worker function: SQS may hand a redelivered message to either.
  workers = [
    await createWorkerFunction({ ...fx.env, ...approval }, quiet),
    await createWorkerFunction({ ...fx.env, ...approval }, quiet),
  ];
  store = await openStore(loadConfig({ ...fx.env }), { logger: silentLogger, mode: 'external', client: fx.raw });
});

afterEach(async () => {
  await Promise.all([slack?.close(), ...workers.map((w) => w.close()), store?.close()]);
  await fx?.close();
});

type Queued = LambdaFixture['queue']['messages'][number];

/** The SQS record a worker receives for a queued message (its signature travels as message attributes). */
function recordOf(m: Queued, messageId = m.messageId, receiveCount = 1) {
  return {
    messageId,
    body: m.body,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: Object.fromEntries(
      Object.entries(m.attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]),
    ),
  };
}

/** Runs every queued message on the first worker and removes it from the queue. */
async function pump(): Promise<void> {
  const visible = fx.queue.messages.splice(0);
  await workers[0]?.handle({ Records: visible.map((m) => recordOf(m)) }, lambdaContext());
}

const click = (payload: Record<string, unknown>) =>
  slack.handle(functionUrlEvent(signInteraction(SIGNING_SECRET, payload)), lambdaContext());

describe('an activation job delivered twice', () => {
  it('runs on two worker containers at once and makes one agreement, one ACTIVE request; a late copy does nothing', async () => {
    await click(
      viewSubmissionPayload(
        VIEW.requestModal,
        { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
        { userId: REQUESTER },
      ),
    );
    await pump();
    const [request] = await store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.cohere);
    if (!request) throw new Error('no request');
    await click(cardButtonPayload(ACTION.approve, request.id, fx.slackApi.responseUrl('a'), { userId: APPROVER }));
    await pump();
    const [job] = fx.queue.messages.splice(0);
    if (!job) throw new Error('no activation job');

    const results = await Promise.all(
      workers.map((worker, i) =>
        worker.handle(
          {
            Records: [recordOf(job, `${job.messageId}-${i}`, i + 1)],
          },
          lambdaContext(),
        ),
      ),
    );

    expect(results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect((await store.repository.get(request.id))?.state).toBe('ACTIVE');
    expect(fx.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    const trail = await store.repository.auditTrail(request.id);
    expect(trail.filter((e) => e.action === 'activation_started')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'activated')).toHaveLength(1);

    // Delivered once more after it finished: nothing to do, no role assumed, nothing written.
    const sessions = fx.std.world.callCount('AssumeRole');
    const late = await workers[1]?.handle(
      {
        Records: [recordOf(job, `${job.messageId}-late`, 3)],
      },
      lambdaContext(),
    );
    expect(late).toEqual({ batchItemFailures: [] });
    expect(fx.std.world.callCount('AssumeRole')).toBe(sessions);
    expect(await store.repository.auditTrail(request.id)).toHaveLength(trail.length);
  }, 30_000);
});
