// `/bedrock` end to end: signed slash commands into the real Bolt receiver, answers read from the HTTP ack and
// the fake Slack's response_url log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CheckStatus, StatusQuery } from '../../../src/access/status-report.js';
import { ErrorCode, UserFacingError } from '../../../src/errors.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { aDiagnosis, aStatusReport, UNKNOWN_DIAGNOSIS } from '../../support/slack/fixtures.js';
import { signSlashCommand } from '../../support/slack/signer.js';
import { buttonsOf, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

const diagnosed: string[] = [];
const statusQueries: StatusQuery[] = [];
let statusBehaviour: CheckStatus = async (q) => aStatusReport('READY', { modelRef: q.modelRef });

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: (text) => {
      diagnosed.push(text);
      return /AccessDenied/.test(text) ? aDiagnosis() : UNKNOWN_DIAGNOSIS;
    },
    checkStatus: (q) => {
      statusQueries.push(q);
      return statusBehaviour(q);
    },
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  diagnosed.length = 0;
  statusQueries.length = 0;
  statusBehaviour = async (q) => aStatusReport('READY', { modelRef: q.modelRef });
  h.slackApi.reset();
});

async function command(text: string, responseId = 'cmd') {
  const res = await h.send(
    signSlashCommand(SIGNING_SECRET, { text, response_url: h.slackApi.responseUrl(responseId) }),
  );
  return { status: res.status, body: res.text ? (JSON.parse(res.text) as Record<string, unknown>) : {} };
}

describe('/bedrock why', () => {
  it('answers in the ack with an ephemeral diagnosis card and buttons that fit', async () => {
    // Act
    const { status, body } = await command('why AccessDeniedException: calling InvokeModel');

    // Assess
    expect(status).toBe(200);
    expect(body.response_type).toBe('ephemeral');
    const shown = visibleText(body);
    expect(shown).toContain('The model was never activated');
    expect(shown).toContain('*How to fix it*');
    expect(shown).toContain('```\naws bedrock list-foundation-model-agreement-offers');
    expect(buttonsOf(body).map((b) => b.action_id)).toEqual([ACTION.checkStatus, ACTION.requestActivation]);
    expect(typeof body.text).toBe('string');
  });

  it('undoes Slack markup before diagnosing and keeps pasted mentions inert in the card', async () => {
    // Prepare: Slack sends `<` as `&lt;` and wraps links and mentions in angle brackets.
    const paste =
      'why AccessDeniedException &lt;!channel&gt; <!channel> <@U0OTHER01> <https://evil.example|click> a &amp; b';

    // Act
    const { body } = await command(paste);

    // Assess
    expect(diagnosed[0]).toContain('AccessDeniedException <!channel> <!channel> <@U0OTHER01> click a & b');
    const raw = JSON.stringify(body.blocks);
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&lt;@U0OTHER01&gt;');
    expect(liveMarkup(visibleText(body))).toEqual([]);
  });

  it('asks for the error when why has nothing after it', async () => {
    const { body } = await command('why');
    expect(visibleText(body)).toContain('Paste the error after `why`');
    expect(diagnosed).toEqual([]);
  });

  it('says it found no error, and points to help, when the text is not a Bedrock error', async () => {
    const { body } = await command('why hello there');
    expect(visibleText(body)).toContain("I couldn't find a Bedrock error");
    expect(visibleText(body)).toContain('/bedrock help');
  });

  it('diagnoses an error pasted without the word why', async () => {
    const { body } = await command('AccessDeniedException: An error occurred');
    expect(visibleText(body)).toContain('The model was never activated');
  });
});

describe('/bedrock help and unknown input', () => {
  it('shows the usage for help', async () => {
    const { body } = await command('help');
    expect(visibleText(body)).toContain('/bedrock status <model> [region]');
    expect(body.response_type).toBe('ephemeral');
  });

  it('shows the usage for an empty command', async () => {
    const { body } = await command('   ');
    expect(visibleText(body)).toContain('/bedrock why <pasted error>');
  });

  it('names an unknown subcommand, escaped, and shows the usage', async () => {
    const { body } = await command('frobnicate<!here>');
    const shown = visibleText(body);
    expect(shown).toContain("I don't know `frobnicate&lt;!here&gt;`");
    expect(shown).toContain('/bedrock status');
    expect(liveMarkup(shown)).toEqual([]);
  });
});

describe('/bedrock status', () => {
  it('acks with "checking" and then replaces it with the status card through the response URL', async () => {
    // Act
    const { body } = await command('status anthropic.claude-3-5-sonnet-20240620-v1:0 us-west-2', 'status-1');
    await h.settle();

    // Assess
    expect(visibleText(body)).toContain('Checking `anthropic.claude-3-5-sonnet-20240620-v1:0` in `us-west-2`');
    expect(statusQueries).toEqual([{ modelRef: 'anthropic.claude-3-5-sonnet-20240620-v1:0', regions: ['us-west-2'] }]);
    const [posted] = h.slackApi.responsesTo('status-1');
    expect(posted?.body.replace_original).toBe(true);
    expect(posted?.body.response_type).toBe('ephemeral');
    expect(visibleText(posted?.body ?? {})).toContain('Verdict READY');
    expect(h.slackApi.responsesTo('status-1')).toHaveLength(1);
  });

  it('checks the default regions when none is named', async () => {
    await command('status amazon.nova-pro-v1:0');
    await h.settle();
    expect(statusQueries).toEqual([{ modelRef: 'amazon.nova-pro-v1:0' }]);
  });

  it('rejects a malformed region before any check', async () => {
    const { body } = await command('status anthropic.claude-v2 moon-base-1x');
    await h.settle();
    expect(visibleText(body)).toContain('should be an AWS region');
    expect(statusQueries).toEqual([]);
  });

  it('asks for a model when status has none', async () => {
    const { body } = await command('status');
    expect(visibleText(body)).toContain('Name the model to check');
  });

  it('shows the message of an error the user can fix, with a reference', async () => {
    // Prepare
    statusBehaviour = async () => {
      throw new UserFacingError(ErrorCode.RegionNotAllowed, 'Region eu-north-1 is not enabled for account <default>.');
    };

    // Act
    await command('status anthropic.claude-v2 eu-north-1', 'status-user-error');
    await h.settle();

    // Assess
    const shown = visibleText(h.slackApi.responsesTo('status-user-error')[0]?.body ?? {});
    expect(shown).toContain('Region eu-north-1 is not enabled for account &lt;default&gt;.');
    expect(shown).toMatch(/Reference: `[0-9a-z]{8}`/);
  });

  it('answers an unexpected failure politely with a reference that is also in the log', async () => {
    // Prepare
    statusBehaviour = async () => {
      throw new Error('socket hang up');
    };

    // Act
    await command('status anthropic.claude-v2', 'status-crash');
    await h.settle();

    // Assess
    const shown = visibleText(h.slackApi.responsesTo('status-crash')[0]?.body ?? {});
    expect(shown).toContain('Sorry, something went wrong on our side while checking the model status');
    expect(shown).not.toContain('socket hang up');
    const reference = /`([0-9a-z]{8})`/.exec(shown)?.[1];
    const logged = h.logs.find((l) => l.msg === 'status check failed');
    expect(logged?.reference).toBe(reference);
    expect(JSON.stringify(logged)).toContain('socket hang up');
  });
});
