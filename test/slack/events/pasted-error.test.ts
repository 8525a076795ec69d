// DMs and mentions end to end: signed Events API deliveries in, threaded chat.postMessage calls recorded by the fake.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { storeDeliveryLedger } from '../../../src/slack/delivery-ledger.js';
import { openStore } from '../../../src/store/open-store.js';
import { FAKE_BOT } from '../../support/slack/fake-slack-api.js';
import { aDiagnosis, aStatusReport, UNKNOWN_DIAGNOSIS } from '../../support/slack/fixtures.js';
import { eventEnvelope, signEvent } from '../../support/slack/signer.js';
import { liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

const diagnosed: string[] = [];
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: (text) => {
      diagnosed.push(text);
      return /AccessDenied/.test(text) ? aDiagnosis() : UNKNOWN_DIAGNOSIS;
    },
    checkStatus: async () => aStatusReport('READY'),
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  diagnosed.length = 0;
  h.slackApi.reset();
});

const ERROR = 'An error occurred (AccessDeniedException) when calling the InvokeModel operation';

function dm(fields: Record<string, unknown>) {
  return {
    type: 'message',
    channel: 'D0DMCHAN01',
    channel_type: 'im',
    user: 'U0USER0001',
    ts: '1700000100.000100',
    ...fields,
  };
}

async function deliver(event: Record<string, unknown>, eventId?: string, headers: Record<string, string> = {}) {
  const res = await h.send(signEvent(SIGNING_SECRET, eventEnvelope({ event, event_id: eventId })), headers);
  await h.settle();
  return res;
}

describe('direct messages', () => {
  it('replies to a pasted error with the diagnosis in a thread', async () => {
    // Act
    const res = await deliver(dm({ text: ERROR }));

    // Assess
    expect(res.status).toBe(200);
    const [post] = h.slackApi.callsTo('chat.postMessage');
    expect(post?.args.channel).toBe('D0DMCHAN01');
    expect(post?.args.thread_ts).toBe('1700000100.000100');
    expect(visibleText(post?.args ?? {})).toContain('The model was never activated');
    expect(post?.token).toBe('xoxb-test-0000-token');
  });

  it('answers inside the existing thread when the paste is a thread reply', async () => {
    await deliver(dm({ text: ERROR, ts: '1700000200.000200', thread_ts: '1700000100.000100' }));
    expect(h.slackApi.callsTo('chat.postMessage')[0]?.args.thread_ts).toBe('1700000100.000100');
  });

  it('asks for the error when a DM holds none, instead of staying silent', async () => {
    await deliver(dm({ text: 'hi bot, how are you?' }));
    const [post] = h.slackApi.callsTo('chat.postMessage');
    expect(visibleText(post?.args ?? {})).toContain("I couldn't find a Bedrock error");
    expect(visibleText(post?.args ?? {})).toContain('/bedrock help');
  });

  it.each([
    ['its own messages', { user: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, text: ERROR }],
    ['other bots', { bot_id: 'B0OTHER001', text: ERROR }],
    ['edits', { subtype: 'message_changed', text: ERROR }],
    ['joins', { subtype: 'channel_join', text: `<@U0USER0001> has joined` }],
    ['bot_message posts', { subtype: 'bot_message', bot_id: 'B0OTHER001', text: ERROR }],
  ])('ignores %s', async (_name, fields) => {
    // Act
    const res = await deliver(dm(fields));

    // Assess: acknowledged, but no reply and no diagnosis.
    expect(res.status).toBe(200);
    expect(h.slackApi.callsTo('chat.postMessage')).toEqual([]);
    expect(diagnosed).toEqual([]);
  });

  it('ignores channel messages that are not DMs', async () => {
    await deliver(dm({ channel: 'C0CHAN0001', channel_type: 'channel', text: ERROR }));
    expect(h.slackApi.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('mentions', () => {
  it('replies in a thread to a mention with an error, reading the paste without the mention', async () => {
    // Act
    await deliver({
      type: 'app_mention',
      channel: 'C0CHAN0001',
      user: 'U0USER0001',
      ts: '1700000300.000300',
      text: `<@${FAKE_BOT.userId}> ${ERROR} &lt;!channel&gt;`,
    });

    // Assess
    expect(diagnosed).toEqual([`${ERROR} <!channel>`]);
    const [post] = h.slackApi.callsTo('chat.postMessage');
    expect(post?.args.channel).toBe('C0CHAN0001');
    expect(post?.args.thread_ts).toBe('1700000300.000300');
    expect(liveMarkup(visibleText(post?.args ?? {}))).toEqual([]);
  });

  it('answers a bare mention with the short hint', async () => {
    await deliver({
      type: 'app_mention',
      channel: 'C0CHAN0001',
      user: 'U0USER0001',
      ts: '1.1',
      text: `<@${FAKE_BOT.userId}>`,
    });
    expect(visibleText(h.slackApi.callsTo('chat.postMessage')[0]?.args ?? {})).toContain('Paste the full error');
  });
});

describe('Slack retries and Web API faults', () => {
  it('answers an event delivered twice (Slack retry, same event_id) once', async () => {
    // Act
    const first = await deliver(dm({ text: ERROR }), 'Ev0RETRY0001');
    const retry = await deliver(dm({ text: ERROR }), 'Ev0RETRY0001', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });

    // Assess: both acknowledged with 200 (so Slack stops retrying), one reply.
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(h.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === 'duplicate delivery ignored' && l.retryNum === 1)).toBe(true);
  });

  it('waits out a rate limit (429 + Retry-After) in the background and posts the reply once', async () => {
    // Prepare
    h.slackApi.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    // Act
    const res = await h.send(signEvent(SIGNING_SECRET, eventEnvelope({ event: dm({ text: ERROR }) })));
    const postsWhenAcked = h.slackApi.callsTo('chat.postMessage').length;
    await h.settle();

    // Assess: the ack came back before the retried post; the reply went out once Retry-After had passed.
    expect(res.status).toBe(200);
    expect(postsWhenAcked).toBeLessThanOrEqual(1);
    expect(h.slackApi.callsTo('chat.postMessage')).toHaveLength(2);
    expect(h.logs.some((l) => String(l.msg).includes('rate limiting'))).toBe(true);
    expect(h.logs.some((l) => l.msg === 'could not post the reply')).toBe(false);
  });

  it.each(['not_in_channel', 'channel_not_found'])(
    'logs %s from chat.postMessage with a reference, without crashing',
    async (error) => {
      // Prepare
      h.slackApi.failNext('chat.postMessage', { error });

      // Act
      await deliver(dm({ text: ERROR }));

      // Assess: one attempt (no retry of a permanent error), the failure logged with its Slack error code.
      expect(h.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
      const logged = h.logs.find((l) => l.msg === 'could not post the reply' && l.slackError === error);
      expect(logged?.reference).toMatch(/^[0-9a-z]{8}$/);

      // …and the app keeps answering.
      await deliver(dm({ text: ERROR }));
      expect(h.slackApi.callsTo('chat.postMessage')).toHaveLength(2);
    },
  );
});

describe('Slack retries with the state store as the ledger', () => {
  it('answers once when the retry reaches a second app instance sharing the store', async () => {
    // Prepare: two app instances (two processes, or two Lambdas) on one embedded DynamoDB table.
    const store = await openStore(
      { defaultRegion: 'us-east-1', store: { dataDir: '', requestTtlDays: 90, idempotencyTtlHours: 24 } },
      { logger: silentLogger, inMemory: true },
    );
    const deliveries = storeDeliveryLedger(store.repository);
    const diagnoseAll = () => aDiagnosis();
    const first = await startSlackHarness({
      diagnose: diagnoseAll,
      checkStatus: async () => aStatusReport('READY'),
      deliveries,
    });
    const second = await startSlackHarness({
      diagnose: diagnoseAll,
      checkStatus: async () => aStatusReport('READY'),
      deliveries,
      slackApi: first.slackApi,
    });
    try {
      const envelope = eventEnvelope({ event: dm({ text: ERROR }), event_id: 'Ev0SHARED001' });

      // Act
      const a = await first.send(signEvent(SIGNING_SECRET, envelope));
      const b = await second.send(signEvent(SIGNING_SECRET, envelope), {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      await first.settle();
      await second.settle();

      // Assess
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(first.slackApi.callsTo('chat.postMessage')).toHaveLength(1);
    } finally {
      await second.stop();
      await first.stop();
      await store.close();
    }
  });
});
