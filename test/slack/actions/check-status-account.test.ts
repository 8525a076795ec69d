// The diagnosis card's "Check status" button checks the account the pasted error names, as `/bedrock status` on an
// ARN does (issue 9): real diagnosis engine, real status check against the fake AWS, signed requests.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { PROD } from '../../fakes/aws/standard-world.js';
import { type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { buttonPayload, signInteraction, signSlashCommand } from '../../support/slack/signer.js';
import { visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const MARKETPLACE_DENIED =
  'AccessDeniedException: Model access is denied due to IAM user or service role is not authorized to perform the ' +
  'required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access ' +
  'to this model.';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({ diagnose: (text) => diagnose(text) });
});
afterAll(() => w.close());
beforeEach(() => w.h.slackApi.reset());

/** Runs `/bedrock why`, presses the card's own Check status button, and returns the status card shown. */
async function checkFromWhyCard(pasted: string, id: string): Promise<string> {
  const why = await w.h.send(
    signSlashCommand(SIGNING_SECRET, { text: `why ${pasted}`, response_url: w.h.slackApi.responseUrl(`${id}-why`) }),
  );
  const card = JSON.parse(why.text) as { blocks: unknown[] };
  let value: string | undefined;
  JSON.stringify(card.blocks, (_k, v: { action_id?: string; value?: string }) => {
    if (v?.action_id === ACTION.checkStatus) value = v.value;
    return v;
  });
  expect(value).toBeDefined();
  await w.h.send(
    signInteraction(SIGNING_SECRET, buttonPayload(ACTION.checkStatus, value ?? '', w.h.slackApi.responseUrl(id))),
  );
  await w.h.settle();
  return visibleText(w.h.slackApi.responsesTo(id)[0]?.body ?? {});
}

describe('Check status on a diagnosis card', () => {
  it('checks the registered account named by the caller in the error, not the default account', async () => {
    const shown = await checkFromWhyCard(
      `${MARKETPLACE_DENIED} User: arn:aws:sts::${PROD}:assumed-role/app/x arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`,
      'btn-prod-caller',
    );
    expect(shown).toContain(PROD);
    expect(shown).not.toContain('111122223333');
  });

  it('checks the account of an inference-profile ARN in the error', async () => {
    const shown = await checkFromWhyCard(
      `${MARKETPLACE_DENIED} arn:aws:bedrock:us-west-2:${PROD}:inference-profile/us.${HAIKU}`,
      'btn-prod-arn',
    );
    expect(shown).toContain(PROD);
    expect(shown).not.toContain('111122223333');
  });

  it('says an account the bot does not manage is not managed, instead of checking the default account', async () => {
    const callsBefore = w.std.world.calls.length;
    const shown = await checkFromWhyCard(
      `${MARKETPLACE_DENIED} User: arn:aws:sts::999988887777:assumed-role/app/x arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      'btn-unmanaged',
    );
    expect(shown).toContain('account 999988887777 is not managed by this bot');
    expect(shown).not.toContain('Checked as');
    expect(w.std.world.calls.length).toBe(callsBefore);
  });
});
