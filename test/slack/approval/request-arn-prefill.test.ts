// `/bedrock request <ARN>`: the ARN names the account and region, so the form opens with them chosen (issue 8:
// "prefilled with the account the error or ARN named"), and sending it as prefilled is not refused as a conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, PROD } from '../../fakes/aws/standard-world.js';
import { type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { signSlashCommand } from '../../support/slack/signer.js';
import { visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

const PROD_CHANNEL = 'C0PRODAPP1';
const ARN = `arn:aws:bedrock:us-west-2:${PROD}:inference-profile/us.${MODELS.haiku}`;

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({ approval: { approverChannel: PROD_CHANNEL } });
});
afterAll(() => w.close());

interface Select {
  block_id?: string;
  element?: { initial_option?: { value: string }; initial_value?: string };
}

let ackText = '';
async function openForm(text: string): Promise<{ blocks: Select[] } | undefined> {
  w.h.slackApi.reset();
  ackText = (await w.h.send(signSlashCommand(SIGNING_SECRET, { text, response_url: w.h.slackApi.responseUrl('r') })))
    .text;
  await w.h.settle();
  const view = w.h.slackApi.callsTo('views.open')[0]?.args.view;
  return typeof view === 'string' ? (JSON.parse(view) as { blocks: Select[] }) : undefined;
}

const chosen = (view: { blocks: Select[] } | undefined, block: string) =>
  view?.blocks.find((b) => b.block_id === block)?.element?.initial_option?.value;

describe('/bedrock request <model ARN>', () => {
  it('opens the form with the account and region the ARN names', async () => {
    const view = await openForm(`request ${ARN}`);
    expect(chosen(view, 'account')).toBe(PROD);
    expect(chosen(view, 'region')).toBe('us-west-2');
  });

  it('opens a request when the form is sent as prefilled, without a region conflict', async () => {
    const view = await openForm(`request ${ARN}`);
    w.h.slackApi.reset();
    await w.submitRequest({
      model: ARN,
      account: chosen(view, 'account') ?? '',
      region: chosen(view, 'region') ?? '',
    });
    const shown = w.h.slackApi.calls.map((c) => visibleText(c.args)).join('\n');
    expect(shown).not.toContain('but the region asked for is');
    expect(w.messagesIn(PROD_CHANNEL).length).toBeGreaterThan(0);
  });

  it('says an ARN of an account the bot does not manage is not managed, without opening the form', async () => {
    const view = await openForm(`request arn:aws:bedrock:us-east-1:999988887777:inference-profile/us.${MODELS.haiku}`);
    expect(view).toBeUndefined();
    expect(visibleText(JSON.parse(ackText) as Record<string, unknown>)).toContain(
      '999988887777 is not managed by this bot',
    );
  });
});
