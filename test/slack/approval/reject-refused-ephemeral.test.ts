// A refused Reject is explained to the clicker only, in the card's channel (issue 8: "the clicker is told why
// (ephemeral)"). A modal submission has no response_url, so the answer goes out with chat.postEphemeral.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../fakes/aws/standard-world.js';
import { APPROVER_CHANNEL, type ApprovalWorld, startApprovalWorld } from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

const STRANGER = 'U0STRANGE1';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld();
});
afterAll(() => w.close());

describe('Reject by someone who may not decide', () => {
  it('is told why ephemerally in the approver channel, audited, and nothing else happens', async () => {
    await w.submitRequest({ model: MODELS.cohere });
    const request = await w.requestFor(MODELS.cohere);
    w.h.slackApi.reset();

    const res = await w.reject(request.id, 'I do not like this model', { userId: STRANGER });

    expect(res.status).toBe(200);
    const [ephemeral, ...more] = w.h.slackApi.callsTo('chat.postEphemeral');
    expect(more).toEqual([]);
    expect(ephemeral?.args).toMatchObject({ channel: APPROVER_CHANNEL, user: STRANGER });
    expect(visibleText(ephemeral?.args ?? {})).toContain('not an approver');
    expect(w.h.slackApi.callsTo('chat.postMessage')).toEqual([]);
    expect(w.h.slackApi.callsTo('chat.update')).toEqual([]);
    expect((await w.store.repository.get(request.id))?.state).toBe('REQUESTED');
    const trail = await w.store.repository.auditTrail(request.id);
    expect(trail.at(-1)).toMatchObject({ action: 'reject_refused', actor: { userId: STRANGER } });
  });

  it('falls back to a direct message when Slack refuses the ephemeral message', async () => {
    const request = await w.requestFor(MODELS.cohere);
    w.h.slackApi.reset();
    w.h.slackApi.failNext('chat.postEphemeral', { error: 'user_not_in_channel' });

    await w.reject(request.id, 'Still do not like it', { userId: STRANGER });

    const dms = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === STRANGER);
    expect(dms.map((c) => visibleText(c.args)).join('\n')).toContain('not an approver');
  });
});
