// Issue 9, Socket Mode: the connection survives a Slack outage during a reconnect. The app's bounded Web API retries
// (for background jobs) must not reach the socket client; it has its own patient, logged reconnect policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { composeSlackApp } from '../../src/runtime/compose-slack.js';
import type { SlackApp } from '../../src/slack/create-app.js';
import { createMemoryDeliveryLedger } from '../../src/slack/delivery-ledger.js';
import { FAKE_BOT, type FakeSlackApi, startFakeSlackApi } from '../support/slack/fake-slack-api.js';
import { type FakeSocketMode, startFakeSocketMode } from '../support/slack/fake-socket-mode.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import { slashCommandBody } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';

let slackApi: FakeSlackApi;
let socket: FakeSocketMode;
let slack: SlackApp;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  socket = await startFakeSocketMode();
  slackApi.socketModeUrl = socket.url;
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-socket-1',
    SLACK_APP_TOKEN: 'xapp-socket-1',
    SLACK_API_URL: slackApi.apiUrl,
    SLACK_BOT_ID: FAKE_BOT.botId,
    SLACK_BOT_USER_ID: FAKE_BOT.userId,
  });
  slack = composeSlackApp(config, {
    logger: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
    transport: { kind: 'socket' },
    deliveries: createMemoryDeliveryLedger(),
    diagnose: () => aDiagnosis(),
    checkStatus: async () => aStatusReport('READY'),
    // Short delays so the test takes seconds; the policy (patient, backing off, logged) is the production one.
    socketMode: { clientPingTimeoutMs: 1000, reconnectMinDelayMs: 100 },
  });
  await slack.init();
  await slack.app.start();
});
afterAll(async () => {
  await slack.app.stop();
  await socket.close();
  await slackApi.close();
});

const help = () =>
  Object.fromEntries(new URLSearchParams(slashCommandBody({ text: 'help', response_url: slackApi.responseUrl() })));

describe('Socket Mode through a Slack outage', () => {
  it('answers a command over the socket (control)', async () => {
    const ack = await socket.deliver('slash_commands', help());
    expect(visibleText(ack.payload as object)).toContain('/bedrock why <pasted error>');
  });

  it('keeps running after an abrupt close and three 503s from apps.connections.open, and reconnects when Slack is back', async () => {
    // Prepare
    const opensBefore = slackApi.callsTo('apps.connections.open').length;
    slackApi.failNext('apps.connections.open', { httpStatus: 503 }, 3);

    // Act
    socket.dropAll();
    await socket.waitFor(() => socket.connections === 2, 60_000);
    const ack = await socket.deliver('slash_commands', help());

    // Assess
    expect(slackApi.callsTo('apps.connections.open').length - opensBefore).toBe(4);
    expect(visibleText(ack.payload as object)).toContain('/bedrock why <pasted error>');
    const retries = logs.filter((l) => l.msg === 'Socket Mode: could not open a connection; retrying');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2, 3]);
    expect(logs.some((l) => l.msg === 'Socket Mode: reconnected')).toBe(true);
  }, 90_000);

  it('never lends the socket policy to Web API calls made for jobs (they stay bounded)', async () => {
    slackApi.failNext('chat.postMessage', { httpStatus: 503 }, 10);
    await expect(slack.app.client.chat.postMessage({ channel: 'C0CHAN0001', text: 'x' })).rejects.toThrow();
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(3);
    slackApi.reset();
  }, 30_000);
});
