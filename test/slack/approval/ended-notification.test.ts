// The DM that ends a request carries a notification line (its `text`, what a phone shows) in plain words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import { MODELS } from '../../fakes/aws/standard-world.js';
import { APPROVER, type ApprovalWorld, REQUESTER, startApprovalWorld } from '../../support/approval/approval-world.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({ activation: { pollIntervalMs: 20 } });
});
afterAll(() => w.close());

async function lastDmText(): Promise<string | undefined> {
  await w.h.slackApi.waitFor(() => w.h.slackApi.callsTo('chat.postMessage').some((c) => c.args.channel === REQUESTER));
  return w.h.slackApi
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === REQUESTER)
    .map((c) => String(c.args.text))
    .at(-1);
}

describe('the notification line of the DM that ends a request', () => {
  it('says a failed activation "failed"', async () => {
    await w.submitRequest({ model: MODELS.palmyra });
    const request = await w.requestFor(MODELS.palmyra);
    w.h.slackApi.reset();

    await w.press(ACTION.approve, request.id, { userId: APPROVER });
    await w.h.slackApi.waitFor(() => w.h.slackApi.callsTo('chat.postMessage').length > 0, 10_000);

    expect(await lastDmText()).toBe(`Your request for ${MODELS.palmyra} failed.`);
  });

  it('says a cancelled request "was cancelled"', async () => {
    await w.submitRequest({ model: MODELS.cohere });
    const request = await w.requestFor(MODELS.cohere);
    w.h.slackApi.reset();

    await w.press(ACTION.cancelRequest, request.id, { userId: REQUESTER });

    expect(await lastDmText()).toBe(`Your request for ${MODELS.cohere} was cancelled.`);
  });
});
