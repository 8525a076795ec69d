// Whatever fails inside a listener, the person gets a polite message with a reference id, the log gets the details
// under the same reference, and no stack trace or internal message reaches Slack.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/action-ids.js';
import { aDiagnosis, aStatusReport, UNKNOWN_DIAGNOSIS } from '../support/slack/fixtures.js';
import { buttonPayload, eventEnvelope, signEvent, signInteraction, signSlashCommand } from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../support/slack/slack-harness.js';

const INTERNAL = 'kaboom at /srv/app/secret-path.ts:12';
let refuseJobs = false;
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: (text) => {
      if (text.includes('BOOM')) throw new Error(INTERNAL);
      return /AccessDenied/.test(text) ? aDiagnosis() : UNKNOWN_DIAGNOSIS;
    },
    checkStatus: async () => aStatusReport('READY'),
    refuseJobs: () => refuseJobs,
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  refuseJobs = false;
  h.slackApi.reset();
  h.logs.length = 0;
});

/** The reference shown to the user, and the error log line carrying it. */
function referenceIn(shown: string): { reference: string; logged: Record<string, unknown> | undefined } {
  const reference = /`([0-9a-z]{8})`/.exec(shown)?.[1] ?? 'none';
  return { reference, logged: h.logs.find((l) => l.level === 'error' && l.reference === reference) };
}

describe('a listener that throws', () => {
  it('answers a slash command with a polite ephemeral message whose reference finds the log line', async () => {
    // Act
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, { text: 'why BOOM', response_url: h.slackApi.responseUrl('c1') }),
    );
    await h.settle();

    // Assess
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    const shown = visibleText(body);
    expect(shown).toContain('Sorry, something went wrong on our side');
    expect(shown).not.toContain('kaboom');
    expect(String(body.text)).not.toContain('kaboom');
    const { logged } = referenceIn(shown);
    expect(logged).toMatchObject({ msg: 'unhandled error in a Slack listener', err: { message: INTERNAL } });
  });

  it('answers a DM in its thread with the polite message, and never a bot message', async () => {
    // Act
    const event = { type: 'message', channel: 'D0DM000001', channel_type: 'im', user: 'U0USER0001', ts: '17.1' };
    await h.send(signEvent(SIGNING_SECRET, eventEnvelope({ event: { ...event, text: 'BOOM' } })));
    await h.settle();

    // Assess
    const posts = h.slackApi.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.thread_ts).toBe('17.1');
    const shown = visibleText(posts[0]?.args ?? {});
    expect(shown).toContain('Sorry, something went wrong on our side');
    expect(shown).not.toContain('kaboom');
    expect(referenceIn(shown).logged).toBeDefined();
  });
});

describe('a full job queue', () => {
  it('answers a button press with the polite message through the response URL', async () => {
    // Prepare
    refuseJobs = true;

    // Act
    const value = JSON.stringify({ m: 'anthropic.claude-v2' });
    await h.send(
      signInteraction(SIGNING_SECRET, buttonPayload(ACTION.checkStatus, value, h.slackApi.responseUrl('b1'))),
    );
    await h.settle();

    // Assess
    const [answer] = h.slackApi.responsesTo('b1');
    expect(answer?.body.replace_original).toBe(false);
    const shown = visibleText(answer?.body ?? {});
    expect(shown).toContain('Sorry, something went wrong on our side');
    expect(referenceIn(shown).logged?.err).toMatchObject({ name: 'JobQueueFullError' });
  });
});

describe('forged button values', () => {
  it.each([
    ['a 200 KB value', JSON.stringify({ m: 'a'.repeat(200_000) })],
    ['a value that is not JSON', '<!channel> ${jndi:x}'],
    ['JSON of the wrong shape', '{"m":{"__proto__":{"x":1}}}'],
    ['a model id with markup', JSON.stringify({ m: '<!channel>' })],
  ])('answers %s politely without running anything', async (_name, value) => {
    // Act
    const res = await h.send(
      signInteraction(SIGNING_SECRET, buttonPayload(ACTION.requestActivation, value, h.slackApi.responseUrl('f1'))),
    );
    await h.settle();

    // Assess
    expect(res.status).toBe(200);
    const shown = visibleText(h.slackApi.responsesTo('f1')[0]?.body ?? {});
    expect(shown).toContain('That button no longer works');
    expect(shown).not.toContain('<!channel>');
    expect(h.logs.some((l) => l.level === 'error')).toBe(false);
  });
});
