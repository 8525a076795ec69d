// A signed payload may name any response_url (a workspace member can craft one). The bot posts only to Slack's own
// (and to SLACK_API_URL's origin, here the fake Slack); any other is logged and the answer goes through the Web API.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { slackResponseUrls } from '../../src/slack/response-url.js';
import { MODELS } from '../fakes/aws/standard-world.js';
import { startApprovalWorld } from '../support/approval/approval-world.js';
import { aDiagnosis, aStatusReport } from '../support/slack/fixtures.js';
import { buttonPayload, cardButtonPayload, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack/slack-harness.js';

/** Stands for an internal address the bot can reach and Slack cannot: it records every request it gets. */
let internal: Server;
let internalUrl: string;
const internalHits: string[] = [];
let failListener = false;
let h: SlackHarness;

beforeAll(async () => {
  internal = createServer((req, res) => {
    internalHits.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  internal.listen(0, '127.0.0.1');
  await once(internal, 'listening');
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/internal/admin`;
  h = await startSlackHarness({
    diagnose: () => aDiagnosis(),
    checkStatus: async () => aStatusReport('READY'),
    refuseJobs: () => failListener,
  });
});
afterAll(async () => {
  await h.stop();
  internal.close();
});
beforeEach(() => {
  h.slackApi.reset();
  h.logs.length = 0;
  internalHits.length = 0;
  failListener = false;
});

const refusedLine = () =>
  h.logs.find((l) => l.level === 'warn' && String(l.msg).startsWith('response_url is not a Slack response URL'));

describe('a response_url that is not Slack’s', () => {
  it('is never posted to by /bedrock status: the card goes to the user as an ephemeral message instead', async () => {
    // Act
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, {
        text: 'status anthropic.claude-v2',
        response_url: internalUrl,
        user_id: 'U0USER0042',
        channel_id: 'C0CHAN0042',
      }),
    );
    await h.settle();

    // Assess
    expect(res.status).toBe(200);
    expect(internalHits).toEqual([]);
    const [ephemeral] = h.slackApi.callsTo('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: 'C0CHAN0042', user: 'U0USER0042' });
    expect(visibleText(ephemeral?.args ?? {})).toContain(':large_green_circle:');
    expect(refusedLine()).toBeDefined();
    expect(JSON.stringify(h.logs)).not.toContain('/internal/admin');
  });

  it('is never posted to by a card’s Check status button', async () => {
    // Act
    const payload = buttonPayload(ACTION.checkStatus, JSON.stringify({ m: 'anthropic.claude-v2' }), internalUrl);
    await h.send(signInteraction(SIGNING_SECRET, payload));
    await h.settle();

    // Assess
    expect(internalHits).toEqual([]);
    expect(h.slackApi.responses).toEqual([]);
    const answers = [...h.slackApi.callsTo('chat.postEphemeral'), ...h.slackApi.callsTo('chat.postMessage')];
    expect(answers).toHaveLength(1);
    expect(visibleText(answers[0]?.args ?? {})).toContain(':large_green_circle:');
    expect(refusedLine()).toBeDefined();
  });

  it('is never posted to with the apology when a listener fails', async () => {
    // Prepare
    failListener = true;

    // Act
    const payload = buttonPayload(ACTION.checkStatus, JSON.stringify({ m: 'anthropic.claude-v2' }), internalUrl);
    await h.send(signInteraction(SIGNING_SECRET, payload));
    await h.settle();

    // Assess
    expect(internalHits).toEqual([]);
    const answers = [...h.slackApi.callsTo('chat.postEphemeral'), ...h.slackApi.callsTo('chat.postMessage')];
    expect(answers.map((a) => visibleText(a.args))).toEqual([expect.stringContaining('Sorry, something went wrong')]);
  });

  it('still works when it is Slack’s (here SLACK_API_URL’s origin): the answer goes to the response_url', async () => {
    // Act
    const payload = buttonPayload(
      ACTION.checkStatus,
      JSON.stringify({ m: 'anthropic.claude-v2' }),
      h.slackApi.responseUrl('ok1'),
    );
    await h.send(signInteraction(SIGNING_SECRET, payload));
    await h.settle();

    // Assess
    expect(h.slackApi.responsesTo('ok1')).toHaveLength(1);
    expect(h.slackApi.callsTo('chat.postEphemeral')).toEqual([]);
    expect(refusedLine()).toBeUndefined();
  });
});

describe('a decision whose response_url is not Slack’s', () => {
  it('tells the clicker through the Web API and posts nothing to that URL', async () => {
    // Prepare
    const w = await startApprovalWorld();
    try {
      await w.submitRequest({ model: MODELS.cohere });
      const { id } = await w.requestFor(MODELS.cohere);
      w.h.slackApi.reset();

      // Act: someone who is not an approver presses Approve, with a crafted response_url
      const payload = cardButtonPayload(ACTION.approve, id, internalUrl, { userId: 'U0RANDOM09' });
      await w.h.send(signInteraction(SIGNING_SECRET, payload));
      await w.h.settle();

      // Assess
      expect(internalHits).toEqual([]);
      const [ephemeral, ...more] = w.h.slackApi.callsTo('chat.postEphemeral');
      expect(more).toEqual([]);
      expect(ephemeral?.args).toMatchObject({ user: 'U0RANDOM09', channel: 'C0APPROVE1' });
      expect(visibleText(ephemeral?.args ?? {})).toContain('You are not an approver');
      expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
    } finally {
      await w.close();
    }
  });
});

describe('slackResponseUrls', () => {
  const allows = slackResponseUrls('http://127.0.0.1:4555/api/');

  it.each([
    'https://hooks.slack.com/commands/T0001/123/abc',
    'https://hooks.slack.com/actions/T0001/123/abc',
    'https://hooks.slack-gov.com/actions/T0001/123/abc',
    'http://127.0.0.1:4555/response/r1',
  ])('accepts %s', (url) => {
    expect(allows(url)).toBe(true);
  });

  it.each([
    'http://hooks.slack.com/actions/T0001/123/abc',
    'https://hooks.slack.com:8443/actions/T0001/123/abc',
    'https://hooks.slack.com.evil.example/actions/x',
    'https://evil.example/hooks.slack.com/actions/x',
    'https://user:pw@hooks.slack.com/actions/x',
    'https://slack.com/api/chat.postMessage',
    'http://127.0.0.1:4556/response/r1',
    'http://169.254.169.254/latest/meta-data/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(allows(url)).toBe(false);
  });

  it('without SLACK_API_URL accepts Slack’s hosts only', () => {
    expect(slackResponseUrls()('http://127.0.0.1:4555/response/r1')).toBe(false);
    expect(slackResponseUrls()('https://hooks.slack.com/actions/T1/2/3')).toBe(true);
  });
});
