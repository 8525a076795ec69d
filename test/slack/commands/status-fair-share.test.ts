// `/bedrock status` under a flood: each person has a share of live checks a minute (STATUS_CHECKS_PER_MINUTE), an
// identical check within STATUS_CACHE_SECONDS reuses one AWS read, and status checks run in a lane of their own so
// a decision never waits behind them. Signed commands into the real receiver, the real SDK against the fake AWS.
import { afterEach, describe, expect, it } from 'vitest';
import { type AccessServices, createAccessServices } from '../../../src/runtime/compose-access.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  type StandardWorld,
  testConfig,
} from '../../fakes/aws/standard-world.js';
import { ACTION, APPROVER, startApprovalWorld } from '../../support/approval/approval-world.js';

import { aDiagnosis } from '../../support/slack/fixtures.js';
import { cardButtonPayload, signInteraction, signSlashCommand } from '../../support/slack/signer.js';
import { visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

const LANE_MODEL = 'cohere.lane-v1:0';

let std: StandardWorld;
let fake: FakeAws;
let services: AccessServices;
let h: SlackHarness;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(env: Record<string, string>, now?: () => number) {
  std = createStandardWorld({ settleMs: 60_000 });
  fake = await startFakeAws(std.world);
  services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 1 });
  h = await startSlackHarness({
    diagnose: () => aDiagnosis(),
    checkStatus: services.checkStatus,
    env,
    ...(now ? { now } : {}),
  });
  closers.push(async () => {
    await h.stop();
    services.close();
    await fake.close();
  });
}

let counter = 0;
async function status(model: string, userId = 'U0FLOOD001') {
  counter += 1;
  const id = `fair-${counter}`;
  const ack = await h.send(
    signSlashCommand(SIGNING_SECRET, {
      text: `status ${model}`,
      user_id: userId,
      response_url: h.slackApi.responseUrl(id),
    }),
  );
  return { id, ack: JSON.parse(ack.text) as Record<string, unknown> };
}

/** AWS calls made by the bot's status checks. */
const awsCalls = () => std.world.calls.filter((c) => c.callerArn === std.bot.arn).length;

describe('status checks: a fair share each', () => {
  it('answers a check over the person\u2019s share with a polite "slow down" saying when to retry; others are served', async () => {
    // A fixed clock 20 s into a minute: the four checks fall in one window however slow the machine.
    await start({ STATUS_CHECKS_PER_MINUTE: '3', STATUS_CACHE_SECONDS: '0' }, () => Date.parse('2026-03-02T09:00:20Z'));
    const models = [MODELS.haiku, MODELS.cohere, MODELS.nova, MODELS.sonnet4];

    const acks = [];
    for (const model of models) acks.push(await status(model));
    const other = await status(MODELS.haiku, 'U0OTHER001');
    await h.settle();

    const over = acks[3]?.ack ?? {};
    expect(visibleText(over)).toMatch(/Slow down a little: each person can run 3 status checks a minute/);
    expect(String(over.text)).toContain('Try again after 09:01:00 UTC (in 40 s).');
    const minute = Date.parse('2026-03-02T09:01:00Z') / 1000;
    expect(JSON.stringify(over.blocks)).toContain(`<!date^${minute}^{time_secs}|09:01:00 UTC>`);
    // The refused one never reached AWS or the response_url; the other person's check ran.
    expect(h.slackApi.responsesTo(acks[3]?.id ?? '')).toEqual([]);
    for (const served of [...acks.slice(0, 3), other]) expect(h.slackApi.responsesTo(served.id)).toHaveLength(1);
    expect(h.logs.filter((l) => l.msg === 'status check refused: over the per-person share')).toHaveLength(1);
  });

  it('lets identical checks within STATUS_CACHE_SECONDS share one AWS read', async () => {
    await start({ STATUS_CHECKS_PER_MINUTE: '100', STATUS_CACHE_SECONDS: '60' });
    await status(MODELS.cohere, 'U0FIRST001');
    await h.settle();
    const oneCheck = awsCalls();
    expect(oneCheck).toBeGreaterThan(0);

    // Five people at once, the same question: in flight together or after, they share the first answer.
    const asked = await Promise.all(
      ['U0A', 'U0B', 'U0C', 'U0D', 'U0E'].map((u) => status(MODELS.cohere, `${u}0000001`)),
    );
    await h.settle();

    expect(awsCalls()).toBe(oneCheck);
    for (const { id } of asked) expect(visibleText(h.slackApi.responsesTo(id)[0]?.body ?? {})).toContain('Cohere');
    // A different question is a new read.
    await status(MODELS.haiku, 'U0FIRST001');
    await h.settle();
    expect(awsCalls()).toBeGreaterThan(oneCheck);
  });
});

describe('lanes: decisions never wait behind status checks', () => {
  it('records an Approve at once while every status worker waits on a slow AWS', async () => {
    const w = await startApprovalWorld({ concurrency: 2 });
    try {
      w.std.world.addModel({ modelId: LANE_MODEL, modelName: 'Lane', providerName: 'Cohere', regions: ['us-east-1'] });
      await w.submitRequest({ model: LANE_MODEL });
      const request = await w.requestFor(LANE_MODEL);
      // AWS answers model reads slowly now: both status workers are busy and more checks wait behind them.
      w.std.world.injectFault('GetFoundationModel', { kind: 'latency', ms: 3_000 });
      for (let i = 0; i < 4; i++) {
        await w.h.send(
          signSlashCommand(SIGNING_SECRET, {
            text: `status cohere.flood-${i}-v1:0`,
            user_id: `U0FLOOD${String(i).padStart(3, '0')}`,
            response_url: w.h.slackApi.responseUrl(`flood-${i}`),
          }),
        );
      }
      const updatesBefore = w.h.slackApi.callsTo('chat.update').length;

      const pressed = await w.h.send(
        signInteraction(
          SIGNING_SECRET,
          cardButtonPayload(ACTION.approve, request.id, w.h.slackApi.responseUrl('approve'), { userId: APPROVER }),
        ),
      );
      expect(pressed.status).toBe(200);
      await w.h.slackApi.waitFor(() => w.h.slackApi.callsTo('chat.update').length > updatesBefore, 2_500);

      const decided = await w.store.repository.get(request.id);
      expect(['APPROVED', 'ACTIVATING', 'ACTIVE']).toContain(decided?.state);
      // The status checks are still waiting on AWS: the decision did not queue behind them.
      expect(w.h.slackApi.responses.filter((r) => r.id.startsWith('flood-'))).toEqual([]);
    } finally {
      w.std.world.clearFaults();
      await w.close();
    }
  }, 30_000);
});
