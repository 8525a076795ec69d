// Shutting the app down while an approved activation runs: close() waits for it before closing the AWS clients and
// the store, so the request still ends ACTIVE and the requester is told, instead of being cut off mid-way.
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { type Composed, compose } from '../../src/runtime/compose.js';
import { type FakeAws, startFakeAws } from '../fakes/aws/server.js';
import { createStandardWorld, fakeEnv, MODELS, SANDBOX, testConfig } from '../fakes/aws/standard-world.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { waitFor } from '../support/wait-for.js';

const APPROVER = 'U0APPROVER1';
const REQUESTER = 'U0REQUEST1';

let fake: FakeAws | undefined;
let slackApi: FakeSlackApi | undefined;
let composed: Composed | undefined;
afterEach(async () => {
  await composed?.close().catch(() => undefined);
  await fake?.close();
  await slackApi?.close();
});

it('close() waits for a running activation before it closes the store', async () => {
  // Prepare: the whole local app over an in-memory store, the fake AWS and the fake Slack API; an approved request.
  const std = createStandardWorld({ settleMs: 40 });
  fake = await startFakeAws(std.world);
  slackApi = await startFakeSlackApi();
  const env = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-shutdown',
    SLACK_SIGNING_SECRET: 'shutdown-secret',
    SLACK_API_URL: slackApi.apiUrl,
    SLACK_BOT_ID: FAKE_BOT.botId,
    SLACK_BOT_USER_ID: FAKE_BOT.userId,
    SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
    SLACK_APPROVER_USER_IDS: APPROVER,
    AWS_REGION: 'us-east-1',
  });
  const config = { ...env, ...testConfig(std.accounts, { pollIntervalMs: 10 }) };
  composed = await compose(config, {
    logger: silentLogger,
    env: fakeEnv(fake, std.bot),
    transport: { kind: 'http' },
    store: { mode: 'embedded', inMemory: true },
    access: { maxAttempts: 1 },
  });
  const { repository } = composed.store;
  const { request } = await repository.openOrJoin({
    accountId: SANDBOX,
    region: 'us-east-1',
    modelRef: MODELS.cohere,
    baseModelId: MODELS.cohere,
    provider: 'Cohere',
    requester: { userId: REQUESTER, channelId: 'D0REQUEST1' },
    reason: 'Summarising support tickets for the help desk team.',
  });
  await repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: { userId: APPROVER } });
  // The activation will sit in its first availability read until released.
  let release = () => {};
  const until = new Promise<void>((resolve) => {
    release = resolve;
  });
  std.world.injectFault('GetFoundationModelAvailability', { kind: 'wait', until, times: 1 });
  const held = () => !std.world.faults.get('GetFoundationModelAvailability')?.length;

  // Act: the activation starts; the app is shut down while it runs; AWS answers after the shutdown began.
  await composed.slack.activationJobs?.enqueue({ kind: 'activate_request', requestId: request.id });
  await waitFor(held, 'the activation to reach AWS');
  const closing = composed.close();
  release();
  await closing;

  // Assess: by the time close() returned, the activation had finished: agreement made, requester told it is active.
  expect(std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
  const toRequester = slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === REQUESTER);
  expect(toRequester.map((c) => c.args.text)).toEqual([`Your request for ${MODELS.cohere} is active.`]);
  composed = undefined;
});
