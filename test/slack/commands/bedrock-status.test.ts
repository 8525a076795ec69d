// `/bedrock status` end to end with real parts on both sides: signed slash commands into the Bolt receiver, the
// live status check through the real AWS SDK clients against the local fake AWS, and the card read back from the
// fake Slack's response_url log — one case per verdict.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/access/status-report.js';
import { type AccessServices, createAccessServices } from '../../../src/runtime/compose-access.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { VERDICT_ICON } from '../../../src/slack/blocks/status-card.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  MODELS,
  PROD,
  SANDBOX,
  type StandardWorld,
  testConfig,
} from '../../fakes/aws/standard-world.js';
import { aDiagnosis } from '../../support/slack/fixtures.js';
import { buttonPayload, signInteraction, signSlashCommand } from '../../support/slack/signer.js';
import { buttonsOf, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

let std: StandardWorld;
let fake: FakeAws;
let services: AccessServices;
let h: SlackHarness;

beforeAll(async () => {
  std = createStandardWorld({ settleMs: 60_000 });
  fake = await startFakeAws(std.world);
  services = createAccessServices(testConfig(std.accounts), { env: fakeEnv(fake, std.bot), maxAttempts: 1 });
  h = await startSlackHarness({
    diagnose: () => aDiagnosis(),
    checkStatus: services.checkStatus,
    // One person walks through every verdict, changing AWS between checks of one model: no share, no cache here
    // (status-fair-share.test.ts tests both).
    env: { STATUS_CHECKS_PER_MINUTE: '10000', STATUS_CACHE_SECONDS: '0' },
  });
});
afterAll(async () => {
  await h.stop();
  services.close();
  await fake.close();
});
beforeEach(() => h.slackApi.reset());

let counter = 0;
async function status(args: string) {
  counter += 1;
  const id = `status-${counter}`;
  const ack = await h.send(
    signSlashCommand(SIGNING_SECRET, { text: `status ${args}`, response_url: h.slackApi.responseUrl(id) }),
  );
  await h.settle();
  const posts = h.slackApi.responsesTo(id);
  expect(posts).toHaveLength(1);
  const card = posts[0]?.body ?? {};
  return { ack: JSON.parse(ack.text) as Record<string, unknown>, card, shown: visibleText(card) };
}

describe('/bedrock status against the fake AWS', () => {
  const cases: Array<[Verdict, () => void, string, string[]]> = [
    [
      'READY',
      () => std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE'),
      `${MODELS.cohere} us-east-1`,
      ['Command R+, Cohere', '`us-east-1`'],
    ],
    ['NO_ACTIVATION_NEEDED', () => {}, `${MODELS.nova} us-east-1`, ['not sold through AWS Marketplace']],
    [
      'NEEDS_ACTIVATION',
      () => {},
      `${MODELS.palmyra} us-west-2`,
      [
        '*Offer terms:* <https://aws.amazon.com/legal/',
        'input_tokens: 0.003 per 1K tokens',
        `bedrock-doctor activate ${MODELS.palmyra}`,
      ],
    ],
    ['NEEDS_USE_CASE_FORM', () => {}, `${MODELS.haiku} us-east-1`, ['use-case form']],
    [
      'ACTIVATION_PENDING',
      () => std.world.setAgreement(SANDBOX, MODELS.jamba, 'PENDING'),
      `${MODELS.jamba} us-west-2`,
      ['about 2 minutes'],
    ],
    [
      'ACTIVATION_FAILED',
      () => std.world.setAgreement(SANDBOX, MODELS.cohere, 'ERROR', 'Payment instrument <declined>.'),
      `${MODELS.cohere} eu-west-1`,
      ['Payment instrument &lt;declined&gt;.'],
    ],
    ['NOT_IN_REGION', () => {}, `${MODELS.jamba} us-east-1`, ['us-east-1']],
    ['LEGACY', () => {}, `${MODELS.claudeV2} us-east-1`, ['*Lifecycle:* Legacy']],
    [
      'NOT_FOUND',
      () => {},
      'anthropic.claude-3-haiku-20240307-v9:0 us-east-1',
      [`*Did you mean:* \`${MODELS.haiku}\``],
    ],
    [
      'CHECK_FAILED',
      () => std.world.injectFault('GetFoundationModelAvailability', { kind: 'access-denied', times: 1 }),
      `${MODELS.haiku} us-west-2`,
      ["*The bot's own role lacks:* `bedrock:GetFoundationModelAvailability`"],
    ],
  ];

  it.each(cases)('shows %s: "checking" first, then the card in its place', async (verdict, prepare, args, expected) => {
    // Prepare
    prepare();

    // Act
    const { ack, card, shown } = await status(args);

    // Assess
    expect(visibleText(ack)).toContain('Checking `');
    expect(card.replace_original).toBe(true);
    expect(card.response_type).toBe('ephemeral');
    const explanation = (card.blocks as Array<{ text?: { text: string } }>)[1]?.text?.text ?? '';
    expect(explanation.startsWith(`${VERDICT_ICON[verdict]} `)).toBe(true);
    for (const text of expected) expect(shown).toContain(text);
    expect(shown).toContain('*Next step:*');
    expect(liveMarkup(shown.replace(/<https:\/\/aws\.amazon\.com\/legal\/[^>]*>/g, ''))).toEqual([]);
    const activatable = ['NEEDS_ACTIVATION', 'NEEDS_USE_CASE_FORM', 'ACTIVATION_FAILED'].includes(verdict);
    expect(buttonsOf(card).map((b) => b.action_id)).toEqual(activatable ? [ACTION.requestActivation] : []);
    expect(card.text).toEqual(expect.any(String));
  });

  it('covers every verdict', () => {
    expect(new Set(cases.map(([v]) => v)).size).toBe(10);
  });

  it('runs the same live check from the "Check status" button on a diagnosis card', async () => {
    // Act
    const res = await h.send(
      signInteraction(
        SIGNING_SECRET,
        buttonPayload(
          ACTION.checkStatus,
          JSON.stringify({ m: MODELS.cohere, r: 'us-west-2' }),
          h.slackApi.responseUrl('btn'),
        ),
      ),
    );
    await h.settle();

    // Assess: a new ephemeral card under the diagnosis, not a replacement of it.
    expect(res.status).toBe(200);
    const [answer] = h.slackApi.responsesTo('btn');
    expect(answer?.body.replace_original).toBe(false);
    expect(visibleText(answer?.body ?? {})).toContain('cohere.command-r-plus-v1:0');
    expect(std.world.calls.some((c) => c.operation === 'GetFoundationModelAvailability')).toBe(true);
  });

  it('answers a region outside the account politely, without a status card', async () => {
    const { shown } = await status(`${MODELS.cohere} ap-south-1`);
    expect(shown).toContain('ap-south-1');
    expect(shown).toMatch(/Reference: `[0-9a-z]{8}`/);
    expect(shown).not.toContain('*Next step:*');
  });

  it('refuses an ARN of an unregistered account without calling AWS, and checks a registered one there', async () => {
    std.world.resetCalls();
    const other = await status(`arn:aws:bedrock:us-east-1:999988887777:inference-profile/us.${MODELS.haiku}`);
    expect(other.shown).toContain('account 999988887777 is not managed by this bot');
    expect(other.shown).not.toContain('*Next step:*');
    expect(std.world.calls).toHaveLength(0);

    const prod = await status(`arn:aws:bedrock:us-west-2:${PROD}:inference-profile/us.${MODELS.haiku}`);
    expect(prod.shown).toContain('prod');
    expect(prod.shown).toContain('`us-west-2`');
    expect(prod.shown).not.toContain('`us-east-1`');
  });
});
