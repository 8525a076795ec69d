// Card buttons end to end: signed block_actions payloads in; answers recorded at the fake response URL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StatusQuery } from '../../../src/access/status-report.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { aDiagnosis, aStatusReport } from '../../support/slack/fixtures.js';
import { buttonPayload, signInteraction } from '../../support/slack/signer.js';
import { visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../../support/slack/slack-harness.js';

const queries: StatusQuery[] = [];
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    diagnose: () => aDiagnosis(),
    checkStatus: async (q) => {
      queries.push(q);
      return aStatusReport('NEEDS_ACTIVATION', { modelRef: q.modelRef });
    },
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  queries.length = 0;
  h.slackApi.reset();
});

async function press(actionId: string, value: string, responseId: string) {
  const res = await h.send(
    signInteraction(SIGNING_SECRET, buttonPayload(actionId, value, h.slackApi.responseUrl(responseId))),
  );
  await h.settle();
  return res;
}

describe('Check status button', () => {
  it('runs the status check in the background and adds the status card under the diagnosis', async () => {
    // Act
    const res = await press(ACTION.checkStatus, JSON.stringify({ m: 'anthropic.claude-v2', r: 'eu-west-1' }), 'btn-1');

    // Assess
    expect(res.status).toBe(200);
    expect(queries).toEqual([{ modelRef: 'anthropic.claude-v2', regions: ['eu-west-1'] }]);
    const [answer] = h.slackApi.responsesTo('btn-1');
    expect(answer?.body.replace_original).toBe(false);
    expect(visibleText(answer?.body ?? {})).toContain('Verdict NEEDS_ACTIVATION');
  });

  it('answers a tampered button value politely without checking anything', async () => {
    await press(ACTION.checkStatus, '{"m":"x","r":"not a region"}', 'btn-bad');
    expect(queries).toEqual([]);
    expect(visibleText(h.slackApi.responsesTo('btn-bad')[0]?.body ?? {})).toContain('That button no longer works');
  });
});

describe('Request activation button', () => {
  it('replies with the exact admin command and what to check, and logs the request', async () => {
    // Act
    await press(ACTION.requestActivation, JSON.stringify({ m: 'anthropic.claude-v2', r: 'eu-west-1' }), 'act-1');

    // Assess
    const shown = visibleText(h.slackApi.responsesTo('act-1')[0]?.body ?? {});
    expect(shown).toContain('```\nbedrock-doctor activate anthropic.claude-v2 --region eu-west-1\n```');
    expect(shown).toContain('offer terms (EULA)');
    expect(shown).toContain('SCP');
    const logged = h.logs.find((l) => l.msg === 'activation requested');
    expect(logged).toMatchObject({ modelId: 'anthropic.claude-v2', region: 'eu-west-1', user: 'U0USER0001' });
  });

  it('uses the default region when the card knew none', async () => {
    await press(ACTION.requestActivation, JSON.stringify({ m: 'cohere.command-r-v1:0' }), 'act-2');
    expect(visibleText(h.slackApi.responsesTo('act-2')[0]?.body ?? {})).toContain(
      'bedrock-doctor activate cohere.command-r-v1:0 --region us-east-1',
    );
  });
});
