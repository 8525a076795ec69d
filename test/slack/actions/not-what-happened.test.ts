// "Not what happened?" end to end: signed slash commands, events and button presses into the real receiver, answers
// recorded by the fake Slack API, pastes held and kept in a real dynalite table (raw items read back to check TTLs).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { keys } from '../../../src/store/table-design.js';
import { type Fixture, startFixture } from '../../store/store-fixture.js';
import { aStatusReport } from '../../support/slack/fixtures.js';
import {
  buttonPayload,
  cardButtonPayload,
  eventEnvelope,
  signEvent,
  signInteraction,
  signSlashCommand,
} from '../../support/slack/signer.js';
import { buttonsOf, limitViolations, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

// A real wording the engine does not know yet, with a Slack token pasted along by mistake.
const PASTE =
  'openai.BadRequestError: Error code: 400 - aws-bedrock error: something new went wrong (token xoxb-1234-5678-abcdefghij)';
const MARKETPLACE =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: Model access is denied due to ' +
  'IAM user or service role is not authorized to perform the required AWS Marketplace actions ' +
  '(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. ' +
  'modelId: anthropic.claude-3-haiku-20240307-v1:0';

let fx: Fixture;
let h: SlackHarness;
beforeAll(async () => {
  fx = await startFixture();
  h = await startSlackHarness({ diagnose, checkStatus: async () => aStatusReport('READY'), misses: fx.store.misses });
});
afterAll(async () => {
  await h.stop();
  await fx.close();
});
beforeEach(() => {
  h.slackApi.reset();
  fx.clock.now = new Date('2026-11-26T10:00:00.000Z');
});

type Card = { text: string; blocks: Parameters<typeof limitViolations>[0]['blocks'] };

async function askWhy(text: string): Promise<{ card: Card; heldId: string }> {
  const res = await h.send(
    signSlashCommand(SIGNING_SECRET, { text: `why ${text}`, response_url: h.slackApi.responseUrl() }),
  );
  await h.settle();
  expect(res.status).toBe(200);
  const card = JSON.parse(res.text) as Card;
  const button = buttonsOf(card).find((b) => b.action_id === ACTION.notWhatHappened);
  expect(button?.value).toMatch(/^[0-9a-f-]{36}$/);
  return { card, heldId: button?.value as string };
}

async function press(value: string, responseId: string, userId?: string) {
  const payload = userId
    ? cardButtonPayload(ACTION.notWhatHappened, value, h.slackApi.responseUrl(responseId), { userId })
    : buttonPayload(ACTION.notWhatHappened, value, h.slackApi.responseUrl(responseId));
  const res = await h.send(signInteraction(SIGNING_SECRET, payload));
  await h.settle();
  expect(res.status).toBe(200);
  const [answer] = h.slackApi.responsesTo(responseId);
  return answer?.body ?? {};
}

async function rawItem(id: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await fx.raw.getItem({
    TableName: fx.table,
    Key: { pk: { S: keys.miss(id).pk }, sk: { S: 'MISS' } },
  });
  return Item ? unmarshall(Item) : undefined;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

describe('"Not what happened?" on a /bedrock why card', () => {
  it('says before the press what is kept and for how long, and holds the redacted paste for 30 minutes only', async () => {
    // Act
    const { card, heldId } = await askWhy(PASTE);

    // Assess
    expect(limitViolations(card)).toEqual([]);
    const shown = visibleText(card);
    expect(shown).toContain('*Not what happened?* Press it and I keep this paste (tokens and keys removed)');
    expect(shown).toContain('for 14 days');
    expect(shown).toContain('nothing is kept past 30 minutes');
    const held = await rawItem(heldId);
    expect(held).toMatchObject({ status: 'held', userId: 'U0USER0001', teamId: 'T0TEAM0001' });
    expect(held?.expiresAt).toBe(epoch(fx.clock.now) + 30 * 60);
    expect(held?.text).toContain('(token [redacted])');
    expect(JSON.stringify(held)).not.toContain('xoxb-1234');
    expect(held?.gsi1pk).toBeUndefined();
    expect(await fx.store.misses.listKept()).toEqual([]);
  });

  it('keeps the paste with what the bot said for MISSES_TTL_DAYS when its author presses, and thanks them', async () => {
    // Prepare
    const { heldId } = await askWhy(PASTE);
    fx.clock.now = new Date('2026-11-26T10:20:00.000Z');

    // Act
    const answer = await press(heldId, 'miss-1');

    // Assess
    expect(answer.replace_original).toBe(false);
    expect(answer.response_type).toBe('ephemeral');
    expect(visibleText(answer)).toContain(
      'Thank you. I kept this paste (tokens and keys removed) with my answer for 14 days',
    );
    const item = await rawItem(heldId);
    expect(item).toMatchObject({ status: 'kept', keptAt: '2026-11-26T10:20:00.000Z' });
    expect(item?.expiresAt).toBe(epoch(fx.clock.now) + 14 * 86_400);
    const kept = (await fx.store.misses.listKept()).filter((m) => m.id === heldId);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.text).toContain('aws-bedrock error: something new went wrong (token [redacted])');
    expect(kept[0]?.diagnosed.category).toBe(diagnose(PASTE).category);
  });

  it('keeps it once: a second press says it is already noted', async () => {
    const { heldId } = await askWhy(PASTE);
    await press(heldId, 'first');

    const again = await press(heldId, 'second');

    expect(visibleText(again)).toContain('Already noted');
    expect((await fx.store.misses.listKept()).filter((m) => m.id === heldId)).toHaveLength(1);
  });

  it('refuses a press by someone other than the person who pasted it', async () => {
    const { heldId } = await askWhy(PASTE);

    const answer = await press(heldId, 'other', 'U0SOMEONE9');

    expect(visibleText(answer)).toContain('Only the person who pasted this error can keep it');
    expect(await rawItem(heldId)).toMatchObject({ status: 'held' });
    expect((await fx.store.misses.listKept()).some((m) => m.id === heldId)).toBe(false);
  });

  it('keeps nothing when pressed after the hold window, and says so', async () => {
    const { heldId } = await askWhy(PASTE);
    fx.clock.now = new Date('2026-11-26T10:31:00.000Z');

    const answer = await press(heldId, 'late');

    expect(visibleText(answer)).toContain('this paste is no longer held');
    expect((await fx.store.misses.listKept()).some((m) => m.id === heldId)).toBe(false);
  });

  it('answers a forged value politely and keeps nothing', async () => {
    const before = (await fx.store.misses.listKept()).length;

    const forged = await press('{"h":"../../etc"}', 'forged');
    const unknown = await press('0b7e4c8a-1f2d-4e3a-9b5c-6d7e8f901234', 'unknown');

    expect(visibleText(forged)).toContain('That button no longer works');
    expect(visibleText(unknown)).toContain('this paste is no longer held');
    expect(await fx.store.misses.listKept()).toHaveLength(before);
  });

  it('keeps the paste but posts nothing to a response_url that is not Slack’s', async () => {
    // Prepare: an address the bot can reach and Slack cannot, recording every request it gets.
    const hits: string[] = [];
    const other = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    other.listen(0, '127.0.0.1');
    await once(other, 'listening');
    const foreign = `http://127.0.0.1:${(other.address() as AddressInfo).port}/internal/click`;
    const { heldId } = await askWhy(PASTE);

    try {
      // Act
      const res = await h.send(signInteraction(SIGNING_SECRET, buttonPayload(ACTION.notWhatHappened, heldId, foreign)));
      await h.settle();

      // Assess
      expect(res.status).toBe(200);
      expect(hits).toEqual([]);
      expect(await rawItem(heldId)).toMatchObject({ status: 'kept' });
    } finally {
      other.close();
    }
  });

  it('sits beside the model buttons on a card that has them', async () => {
    const { card } = await askWhy(MARKETPLACE);

    expect(buttonsOf(card).map((b) => b.action_id)).toEqual([
      ACTION.checkStatus,
      ACTION.requestActivation,
      ACTION.notWhatHappened,
    ]);
  });
});

describe('"Not what happened?" on a DM reply', () => {
  it('holds the paste before replying and keeps it on the press', async () => {
    // Act
    const res = await h.send(
      signEvent(
        SIGNING_SECRET,
        eventEnvelope({
          event: {
            type: 'message',
            channel: 'D0DMCHAN01',
            channel_type: 'im',
            user: 'U0USER0001',
            ts: '1.2',
            text: PASTE,
          },
        }),
      ),
    );
    await h.settle();

    // Assess
    expect(res.status).toBe(200);
    const [post] = h.slackApi.callsTo('chat.postMessage');
    const button = buttonsOf(post?.args ?? {}).find((b) => b.action_id === ACTION.notWhatHappened);
    expect(visibleText(post?.args ?? {})).toContain('nothing is kept past 30 minutes');
    const answer = await press(button?.value as string, 'dm-press');
    expect(visibleText(answer)).toContain('Thank you');
    expect((await fx.store.misses.listKept()).some((m) => m.id === button?.value)).toBe(true);
  });
});
