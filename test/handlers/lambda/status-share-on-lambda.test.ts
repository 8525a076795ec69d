// Status checks on Lambda: their own SQS queue (STATUS_QUEUE_URL), so decisions on the job queue never wait behind
// them, and each person's share counted in the table, so it holds however many Slack function instances a flood
// reaches. Signed requests into the real Slack function; messages land in the fake SQS queues.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackFunction, type SlackFunction } from '../../../handlers/lambda/slack.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { type FakeQueue, sqsOf } from '../../fakes/aws/sqs.js';
import { MODELS } from '../../fakes/aws/standard-world.js';
import { cardButtonPayload, signInteraction, signSlashCommand } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';
import {
  BOT_ACCOUNT,
  functionUrlEvent,
  type LambdaFixture,
  lambdaContext,
  startLambdaFixture,
} from './lambda-fixture.js';

let fx: LambdaFixture;
let statusQueue: FakeQueue;
let instances: SlackFunction[];

beforeEach(async () => {
  fx = await startLambdaFixture();
  statusQueue = sqsOf(fx.std.world).createQueue(fx.aws.endpoints.sqs, BOT_ACCOUNT, 'bedrock-doctor-status', 360);
  const env = {
    ...fx.slackEnv,
    STATUS_QUEUE_URL: statusQueue.url,
    STATUS_CHECKS_PER_MINUTE: '3',
    SLACK_APPROVER_USER_IDS: 'U0APPROVER1',
    SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
  };
  // Two warm instances of the Slack function, as Lambda runs them under load, on a clock 20 s into this minute
  // (so every check falls in one window however slow the machine; Slack's timestamps stay well within 5 minutes).
  const minute = Date.now() - (Date.now() % 60_000);
  const options = { writeLog: () => {}, now: () => minute + 20_000 };
  instances = [await createSlackFunction(env, options), await createSlackFunction(env, options)];
});

afterEach(async () => {
  await Promise.all(instances.map((i) => i.close()));
  await fx?.close();
});

const kinds = (queue: FakeQueue) => queue.messages.map((m) => JSON.parse(m.body).kind as string);

async function status(instance: SlackFunction, n: number) {
  const signed = signSlashCommand(SIGNING_SECRET, {
    text: `status ${MODELS.cohere} us-east-${(n % 2) + 1}`,
    user_id: 'U0FLOOD001',
    response_url: fx.slackApi.responseUrl(`s-${n}`),
  });
  const res = await instance.handle(functionUrlEvent(signed), lambdaContext());
  return JSON.parse(res.body ?? '{}') as { text?: string };
}

describe('status checks on Lambda', () => {
  it('go to their own queue; a decision goes to the job queue', async () => {
    await status(instances[0] as SlackFunction, 1);
    await (instances[0] as SlackFunction).handle(
      functionUrlEvent(
        signInteraction(
          SIGNING_SECRET,
          cardButtonPayload(ACTION.approve, '0f8b3c2e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', fx.slackApi.responseUrl('a'), {
            userId: 'U0APPROVER1',
          }),
        ),
      ),
      lambdaContext(),
    );

    expect(kinds(statusQueue)).toEqual(['status_check']);
    expect(kinds(fx.queue)).toEqual(['decide']);
  });

  it('count each person\u2019s share in the table, across instances', async () => {
    const answers = [];
    for (let n = 0; n < 4; n++) answers.push(await status(instances[n % 2] as SlackFunction, n));

    expect(answers.slice(0, 3).map((a) => a.text)).toEqual(Array(3).fill(expect.stringContaining('Checking')));
    expect(answers[3]?.text).toMatch(/^Slow down a little: you can run 3 status checks a minute\. Try again after/);
    expect(kinds(statusQueue)).toEqual(['status_check', 'status_check', 'status_check']);
  });
});
