// A sealed job runs once. A copy put back on the queue later (by whoever could read one and send to the queue) is
// answered with the first run's outcome, a copy older than any real retry is refused, and rotating the signing
// secret (which keys the seal) strands no job already in flight. Through the real Slack and worker functions.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqsRecord } from '../../../handlers/lambda/lambda-types.js';
import { createSlackFunction, type SlackFunction } from '../../../handlers/lambda/slack.js';
import { createWorkerFunction, type WorkerFunction } from '../../../handlers/lambda/worker.js';
import { loadConfig } from '../../../src/config.js';
import { createJobSigner } from '../../../src/jobs/job-seal.js';
import {
  JOB_RETRY_SPAN_SECONDS,
  MAX_DELAY_SECONDS,
  MAX_RECEIVE_COUNT,
  QUEUE_VISIBILITY_TIMEOUT_SECONDS,
} from '../../../src/jobs/queue-timing.js';
import { silentLogger } from '../../../src/log.js';
import { ACTION, VIEW } from '../../../src/slack/action-ids.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { MODELS, SANDBOX } from '../../fakes/aws/standard-world.js';
import { cardButtonPayload, signInteraction, viewSubmissionPayload } from '../../support/slack/signer.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import {
  functionUrlEvent,
  type LambdaFixture,
  lambdaContext,
  sealedAttributes,
  startLambdaFixture,
} from './lambda-fixture.js';

const APPROVER = 'U0APPROVER1';
const REQUESTER = 'U0REQUEST1';
const OUTSIDER = 'U0OUTSIDE1';
const GROUP = 'S0APPROVERS';
const approval = {
  SLACK_APPROVER_USER_IDS: APPROVER,
  SLACK_APPROVER_GROUP_ID: GROUP,
  SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
  ACTIVATION_POLL_INTERVAL_MS: '50',
  ACTIVATION_DEADLINE_SECONDS: '10',
};

let fx: LambdaFixture;
let slack: SlackFunction;
let worker: WorkerFunction;
let store: Store;
let logs: Array<Record<string, unknown>>;
const writeLog = (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>);

beforeEach(async () => {
  logs = [];
  fx = await startLambdaFixture();
  slack = await createSlackFunction({ ...fx.slackEnv, ...approval }, { writeLog });
  worker = await createWorkerFunction({ ...fx.env, ...approval }, { writeLog });
  store = await openStore(loadConfig({ ...fx.env }), { logger: silentLogger, mode: 'external', client: fx.raw });
  fx.slackApi.usergroups.set(GROUP, []);
});

afterEach(async () => {
  await Promise.all([slack?.close(), worker?.close(), store?.close()]);
  await fx?.close();
});

/** The queue's messages as the event source hands them over. */
function records(): SqsRecord[] {
  return fx.queue.messages.map((m) => ({
    messageId: m.messageId,
    body: m.body,
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: Object.fromEntries(
      Object.entries(m.attributes).map(([name, value]) => [name, { stringValue: value, dataType: 'String' }]),
    ),
  }));
}

/** Runs every queued message once and empties the queue. */
async function pump(): Promise<SqsRecord[]> {
  const batch = records();
  fx.queue.messages.length = 0;
  if (batch.length > 0) await worker.handle({ Records: batch }, lambdaContext());
  return batch;
}

async function click(payload: Record<string, unknown>) {
  return slack.handle(functionUrlEvent(signInteraction(SIGNING_SECRET, payload)), lambdaContext());
}

async function openRequest() {
  await click(
    viewSubmissionPayload(
      VIEW.requestModal,
      { model: MODELS.cohere, account: SANDBOX, region: 'us-east-1', reason: 'Ticket summaries for support.' },
      { userId: REQUESTER },
    ),
  );
  await pump();
  const [request] = await store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.cohere);
  if (!request) throw new Error('no request stored');
  return request;
}

const postJob = (text: string) =>
  JSON.stringify({ kind: 'post_message', channel: 'C0CHAN0001', message: { text }, reference: 'ref00042' });

function sealedRecord(messageId: string, body: string, attributes: SqsRecord['messageAttributes']): SqsRecord {
  return { messageId, body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: attributes ?? {} };
}

describe('worker: a sealed job runs once', () => {
  it('answers a replayed decide job with its first outcome, even after the clicker joined the approver group', async () => {
    const request = await openRequest();
    await click(cardButtonPayload(ACTION.approve, request.id, fx.slackApi.responseUrl('first'), { userId: OUTSIDER }));
    const [decide] = await pump();
    expect(JSON.parse(decide?.body ?? '{}')).toMatchObject({ kind: 'decide', actor: { userId: OUTSIDER } });
    expect((await store.repository.get(request.id))?.state).toBe('REQUESTED');
    expect(JSON.stringify(fx.slackApi.responsesTo('first'))).toMatch(/approver/i);

    // Later the outsider becomes an approver, and a kept copy of the refused job goes back on the queue.
    fx.slackApi.usergroups.set(GROUP, [OUTSIDER]);
    const replay = { ...(decide as SqsRecord), messageId: 'replayed-decide-1' };
    const result = await worker.handle({ Records: [replay] }, lambdaContext());

    expect(result).toEqual({ batchItemFailures: [] });
    const after = await store.repository.get(request.id);
    expect(after?.state).toBe('REQUESTED');
    expect(fx.queue.messages).toEqual([]);
    expect(fx.std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
    const trail = await store.repository.auditTrail(request.id);
    expect(trail.map((e) => e.action)).not.toContain('approved');
    expect(logs.find((l) => l.msg === 'job replay answered with its first outcome')).toMatchObject({
      firstMessageId: decide?.messageId,
      firstOutcome: 'done',
      messageId: 'replayed-decide-1',
    });
  }, 30_000);

  it('runs SQS\u2019s own retry of a message (same message id) again: a failed run is not a replay', async () => {
    // A Slack whose response_url fails for the first run (the poster tries twice), then works.
    let hits = 0;
    let down = true;
    const flaky = createServer((_req, res) => {
      hits += 1;
      res.writeHead(down ? 503 : 200).end(down ? 'unavailable' : 'ok');
    });
    flaky.listen(0, '127.0.0.1');
    await once(flaky, 'listening');
    const origin = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    const retrying = await createWorkerFunction({ ...fx.env, SLACK_API_URL: `${origin}/api/` }, { writeLog });
    try {
      const body = JSON.stringify({
        kind: 'respond',
        responseUrl: `${origin}/response/1`,
        message: { text: 'checked' },
        replaceOriginal: false,
        reference: 'ref00043',
      });
      const first = sealedRecord('msg-retry-1', body, sealedAttributes(createJobSigner(SIGNING_SECRET), body));

      const failed = await retrying.handle({ Records: [first] }, lambdaContext());
      const hitsWhileDown = hits;
      down = false;
      const retried = await retrying.handle(
        { Records: [{ ...first, attributes: { ApproximateReceiveCount: '2' } }] },
        lambdaContext(),
      );

      expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'msg-retry-1' }]);
      expect(retried.batchItemFailures).toEqual([]);
      expect(hits).toBe(hitsWhileDown + 1);
      expect(logs.some((l) => l.msg === 'job replay answered with its first outcome')).toBe(false);
    } finally {
      await retrying.close();
      flaky.close();
    }
  });

  it('refuses a job older than the queue\u2019s whole retry span, and runs the oldest a real retry could bring', async () => {
    const signer = createJobSigner(SIGNING_SECRET);
    const oldestReal = (MAX_DELAY_SECONDS + QUEUE_VISIBILITY_TIMEOUT_SECONDS * MAX_RECEIVE_COUNT) * 1000;
    const tooOld = postJob('kept for an hour');
    const lastRetry = postJob('last retry');
    const madeTooLongAgo = Date.now() - JOB_RETRY_SPAN_SECONDS * 1000 - 60_000;

    const result = await worker.handle(
      {
        Records: [
          sealedRecord('old-1', tooOld, sealedAttributes(signer, tooOld, { madeAt: madeTooLongAgo })),
          sealedRecord('last-1', lastRetry, sealedAttributes(signer, lastRetry, { madeAt: Date.now() - oldestReal })),
        ],
      },
      lambdaContext(),
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'old-1' }] });
    expect(fx.slackApi.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['last retry']);
    expect(logs.find((l) => l.msg === 'job refused: older than any retry')).toMatchObject({ messageId: 'old-1' });
  });
});

describe('worker: rotating the Slack signing secret', () => {
  it('runs jobs sealed with the old key before the rotation, refuses old-key jobs made after it', async () => {
    const NEW_SECRET = 'rotated-signing-secret-fedcba9876543210';
    const rotatedAt = Date.now() - 10 * 60_000;
    // A Slack function still warm with the old secret sealed this one a minute before the rotation.
    const inFlight = postJob('made before the rotation');
    const oldKey = createJobSigner(SIGNING_SECRET);
    const beforeRotation = sealedAttributes(oldKey, inFlight, { madeAt: rotatedAt - 60_000 });
    fx.secret.secretString = JSON.stringify({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: NEW_SECRET,
      SLACK_PREVIOUS_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_SIGNING_SECRET_ROTATED_AT: new Date(rotatedAt).toISOString(),
    });
    const rotated = await createWorkerFunction({ ...fx.env, ...approval }, { writeLog });
    try {
      const forged = postJob('old key, made now');
      const fresh = postJob('new key');
      const result = await rotated.handle(
        {
          Records: [
            sealedRecord('in-flight-1', inFlight, beforeRotation),
            sealedRecord('forged-1', forged, sealedAttributes(oldKey, forged)),
            sealedRecord('fresh-1', fresh, sealedAttributes(createJobSigner(NEW_SECRET), fresh)),
          ],
        },
        lambdaContext(),
      );

      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'forged-1' }] });
      expect(fx.slackApi.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
        'made before the rotation',
        'new key',
      ]);
      expect(logs.find((l) => l.msg === 'job refused: missing or wrong signature')).toMatchObject({
        messageId: 'forged-1',
        problem: 'signed with the previous key after the rotation',
      });
      expect(JSON.stringify(logs)).not.toContain(NEW_SECRET);
    } finally {
      await rotated.close();
    }
  });
});
