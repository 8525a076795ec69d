// `/bedrock request <model> <region>` naming a region no account has: the form says so instead of silently
// prefilling another region the requester might send without noticing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../fakes/aws/standard-world.js';
import { type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { signSlashCommand } from '../../support/slack/signer.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld();
});
afterAll(() => w.close());

async function openedView(text: string): Promise<string> {
  w.h.slackApi.reset();
  await w.h.send(signSlashCommand(SIGNING_SECRET, { text, response_url: w.h.slackApi.responseUrl('r') }));
  await w.h.settle();
  const [open] = w.h.slackApi.callsTo('views.open');
  return typeof open?.args.view === 'string' ? open.args.view : JSON.stringify(open?.args.view);
}

describe('/bedrock request with a region no account has', () => {
  it('opens the form saying the region is not enabled anywhere', async () => {
    const view = await openedView(`request ${MODELS.cohere} ap-south-1`);
    expect(view).toContain('ap-south-1 is not enabled for any account here');
  });

  it('says nothing of the kind for a region an account has', async () => {
    const view = await openedView(`request ${MODELS.cohere} us-west-2`);
    expect(view).not.toContain('is not enabled');
    expect(view).toContain('"initial_option":{"text":{"type":"plain_text","text":"us-west-2"');
  });
});
