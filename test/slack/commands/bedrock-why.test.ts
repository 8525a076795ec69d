// `/bedrock why` end to end with the real diagnosis engine, for every entry (and so every category) of the dev
// corpus: the paste goes in as Slack would send it (markup-encoded), the card comes back in the ack.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import type { Category } from '../../../src/diagnosis/types.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { isEmptyDiagnosis } from '../../../src/slack/blocks/diagnosis-card.js';
import { escapeMrkdwn } from '../../../src/slack/blocks/mrkdwn.js';
import { aStatusReport } from '../../support/slack/fixtures.js';
import { eventEnvelope, signEvent, signSlashCommand } from '../../support/slack/signer.js';
import { buttonsOf, limitViolations, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

interface CorpusEntry {
  id: string;
  text: string;
  category: Category;
  accept?: Category[];
}

const corpus = readFileSync(new URL('../../fixtures/errors-dev.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as CorpusEntry);

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ diagnose, checkStatus: async () => aStatusReport('READY') });
});
afterAll(() => h.stop());

/** Slack delivers `&`, `<`, `>` typed by a person as entities. */
const asSlackSends = (text: string) => escapeMrkdwn(text);

describe('/bedrock why with the real engine, every dev-corpus entry', () => {
  it.each(corpus.map((e) => [e.id, e.category, e] as const))(
    '%s (%s) gets the right card',
    async (_id, _cat, entry) => {
      // Act
      const res = await h.send(
        signSlashCommand(SIGNING_SECRET, {
          text: `why ${asSlackSends(entry.text)}`,
          response_url: h.slackApi.responseUrl(),
        }),
      );

      // Assess
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as {
        response_type: string;
        text: string;
        blocks: Parameters<typeof limitViolations>[0]['blocks'];
      };
      const expected = diagnose(entry.text);
      expect([entry.category, ...(entry.accept ?? [])]).toContain(expected.category);
      expect(body.response_type).toBe('ephemeral');
      expect(limitViolations(body)).toEqual([]);
      expect(liveMarkup(visibleText(body))).toEqual([]);
      if (isEmptyDiagnosis(expected)) {
        expect(visibleText(body)).toContain("I couldn't find a Bedrock error");
        return;
      }
      expect(body.blocks[0]).toMatchObject({ type: 'header', text: { text: expected.title.slice(0, 150) } });
      if (expected.steps.length > 0) expect(visibleText(body)).toContain('*How to fix it*');
      const model = expected.facts.modelId ?? expected.facts.baseModelId;
      const buttons = buttonsOf(body).map((b) => b.action_id);
      expect(buttons.includes(ACTION.checkStatus)).toBe(Boolean(model));
      expect(buttons.includes(ACTION.requestActivation)).toBe(Boolean(model) && expected.activationCanHelp);
    },
  );

  it('reads a 40 KB paste (an error buried in a log) and keeps the card within Slack limits', async () => {
    // Prepare
    const entry = corpus.find((e) => e.category === 'marketplace_subscription_missing') as CorpusEntry;
    const noise = 'INFO worker heartbeat ok <!channel> & more\n'.repeat(470);
    const paste = `${noise}${entry.text}\n${noise}`;

    // Act
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, { text: `why ${asSlackSends(paste)}`, response_url: h.slackApi.responseUrl() }),
    );

    // Assess
    const body = JSON.parse(res.text) as Parameters<typeof limitViolations>[0];
    expect(paste.length).toBeGreaterThan(40_000);
    expect(limitViolations(body)).toEqual([]);
    expect(liveMarkup(visibleText(body))).toEqual([]);
    expect(body.blocks[0]).toMatchObject({ text: { text: diagnose(entry.text).title.slice(0, 150) } });
    expect(visibleText(body)).toMatch(/Read 4\d,\d{3} characters/);
  });

  it('covers every category of the corpus', () => {
    expect(new Set(corpus.map((e) => e.category)).size).toBeGreaterThanOrEqual(12);
  });
});

describe('DMs and mentions with the real engine', () => {
  it('answers a pasted corpus error in a DM thread with the same card as /bedrock why', async () => {
    // Prepare
    const entry = corpus.find((e) => e.category === 'marketplace_subscription_missing') as CorpusEntry;
    h.slackApi.reset();

    // Act
    await h.send(
      signEvent(
        SIGNING_SECRET,
        eventEnvelope({
          event: {
            type: 'message',
            channel_type: 'im',
            channel: 'D0DMCHAN01',
            user: 'U0USER0001',
            ts: '1700000500.000500',
            text: `\`\`\`${asSlackSends(entry.text)}\`\`\``,
          },
        }),
      ),
    );
    await h.settle();

    // Assess
    const [post] = h.slackApi.callsTo('chat.postMessage');
    expect(post?.args.thread_ts).toBe('1700000500.000500');
    expect((post?.args.blocks as Array<{ text?: { text: string } }>)[0]?.text?.text).toBe(
      diagnose(entry.text).title.slice(0, 150),
    );
  });
});

describe('/bedrock why with keys in the paste', () => {
  it('echoes the paste with every secret redacted', async () => {
    // Prepare
    const paste =
      'AccessDeniedException: not authorized to perform aws-marketplace:Subscribe. ' +
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJHMEUCIQDexample1';

    // Act
    const res = await h.send(
      signSlashCommand(SIGNING_SECRET, { text: `why ${paste}`, response_url: h.slackApi.responseUrl() }),
    );

    // Assess
    expect(res.status).toBe(200);
    const shown = visibleText(JSON.parse(res.text) as { blocks: unknown });
    expect(shown).toContain('[redacted]');
    expect(shown).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(shown).not.toContain('IQoJb3JpZ2lu');
  });
});
