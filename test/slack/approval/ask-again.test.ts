// A requester who sends the same request again (a second try, a replayed submission) is told their request is
// still open, not that they "joined" it behind themselves; the card gains no "also asked by" them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../fakes/aws/standard-world.js';
import {
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld();
});
afterAll(() => w.close());

describe('asking again for a request one already opened', () => {
  it('says the request is still open, with the card, and leaves the card alone', async () => {
    await w.submitRequest({ model: MODELS.cohere });
    w.h.slackApi.reset();

    await w.submitRequest({ model: MODELS.cohere });

    const dms = w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === REQUESTER)
      .map((c) => visibleText(c.args));
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain('You already asked for `cohere.command-r-plus-v1:0`');
    expect(dms[0]).toContain('still open');
    expect(dms[0]).not.toContain('joined');
    expect(
      w
        .messagesIn(APPROVER_CHANNEL)
        .map((m) => visibleText(m.args))
        .join('\n'),
    ).not.toContain('Also asked by');
    expect((await w.requestFor(MODELS.cohere)).state).toBe('REQUESTED');
  });
});
