// The whole flow as people see it: request modal submitted → approval card → Approve → progress → active → DMs.
// Real Bolt receiver with signed requests, fake Slack Web API, fake AWS through the real SDK, embedded store.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import { MODELS, SANDBOX } from '../../fakes/aws/standard-world.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  GROUP_APPROVER,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import {
  buttonsOf,
  limitViolations,
  mrkdwnText,
  userTexts,
  visibleText,
} from '../../support/slack/slack-assertions.js';

let w: ApprovalWorld;
afterEach(() => w.close());

function dmsTo(userId: string): string[] {
  return w.h.slackApi
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId)
    .map((c) => visibleText(c.args));
}

describe('requesting and approving a Marketplace model', () => {
  it('posts the card, activates on Approve as the approver, updates the card and tells the requester', async () => {
    // Prepare
    w = await startApprovalWorld();

    // Act: the requester submits the modal
    const submitted = await w.submitRequest({
      model: MODELS.cohere,
      reason: 'Ticket summaries for <!channel> support',
    });

    // Assess: one card in the approver channel, the requester told with a link and a Cancel request button
    expect(submitted.status).toBe(200);
    const [card] = w.messagesIn(APPROVER_CHANNEL);
    expect(card?.method).toBe('chat.postMessage');
    const cardText = visibleText(card?.args ?? {});
    expect(cardText).toContain(`<@${REQUESTER}> asks for`);
    expect(userTexts(card?.args ?? {})).toEqual(['Ticket summaries for <!channel> support']);
    expect(mrkdwnText(card?.args ?? {})).not.toContain('<!channel>');
    expect(cardText).toContain('sandbox · 111122223333');
    expect(cardText).toContain('Approve will:');
    expect(cardText).toContain('Accept the model');
    expect(cardText).not.toContain('use-case form');
    expect(limitViolations(card?.args as never)).toEqual([]);
    const request = await w.requestFor(MODELS.cohere);
    expect(request.state).toBe('REQUESTED');
    expect(request.approvalMessage?.channelId).toBe(APPROVER_CHANNEL);
    expect(buttonsOf(card?.args ?? {}).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.approve, request.id],
      [ACTION.reject, request.id],
    ]);
    const [opened] = dmsTo(REQUESTER);
    expect(opened).toContain('is open');
    expect(opened).toContain(`https://example.slack.com/archives/${APPROVER_CHANNEL}/p`);
    const dm = w.h.slackApi.callsTo('chat.postMessage').find((c) => c.args.channel === REQUESTER);
    expect(buttonsOf(dm?.args ?? {})).toEqual([
      expect.objectContaining({ action_id: ACTION.cancelRequest, value: request.id }),
    ]);

    // Act: an approver presses Approve
    const pressed = await w.press(ACTION.approve, request.id, { userId: APPROVER });

    // Assess: card updated in place through to active
    expect(pressed.status).toBe(200);
    const updates = w.messagesIn(APPROVER_CHANNEL).filter((m) => m.method === 'chat.update');
    expect(updates.length).toBeGreaterThan(2);
    expect(updates.every((u) => u.args.ts === request.approvalMessage?.ts)).toBe(true);
    const all = updates.map((u) => visibleText(u.args)).join('\n');
    expect(all).toContain(`Approved by <@${APPROVER}>`);
    expect(all).toContain('Role assumed');
    expect(all).toContain('Offer accepted');
    expect(all).toContain('Waiting for AWS');
    const last = visibleText(updates.at(-1)?.args ?? {});
    expect(last).toContain('*Active.*');
    expect(last).toContain('about 2 more minutes');
    expect(buttonsOf(updates.at(-1)?.args ?? {})).toEqual([]);
    expect(dmsTo(REQUESTER).at(-1)).toContain('is active in account');

    // Stored state and audit trail
    const done = await w.store.repository.get(request.id);
    expect(done?.state).toBe('ACTIVE');
    expect(done?.decidedBy?.userId).toBe(APPROVER);
    const trail = await w.store.repository.auditTrail(request.id);
    expect(trail.map((e) => e.action)).toEqual(['requested', 'approved', 'activation_started', 'activated']);

    // AWS: exactly one agreement, made by a session whose SourceIdentity is the approver
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(w.std.world.agreement(SANDBOX, MODELS.cohere)?.status).toBe('AVAILABLE');
    const [session] = w.std.world.sessions();
    expect(session?.sourceIdentity).toBe(APPROVER);
    expect(session?.tags).toMatchObject({
      'bedrock-doctor:request-id': request.id,
      'bedrock-doctor:model': MODELS.cohere,
      'bedrock-doctor:requester': REQUESTER,
      'bedrock-doctor:approver': APPROVER,
    });
  });

  it('submits the use-case form for an Anthropic model, approved by a member of the approver group', async () => {
    w = await startApprovalWorld();
    await w.submitRequest({ model: MODELS.haiku });
    const request = await w.requestFor(MODELS.haiku);
    expect(visibleText(w.messagesIn(APPROVER_CHANNEL)[0]?.args ?? {})).toContain('use-case form, if none is on file');

    await w.press(ACTION.approve, request.id, { userId: GROUP_APPROVER });

    expect((await w.store.repository.get(request.id))?.state).toBe('ACTIVE');
    expect(w.std.world.callCount('PutUseCaseForModelAccess')).toBe(1);
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(w.std.world.sessions()[0]?.sourceIdentity).toBe(GROUP_APPROVER);
    const texts = w
      .messagesIn(APPROVER_CHANNEL)
      .map((m) => visibleText(m.args))
      .join('\n');
    expect(texts).toContain('Use-case form submitted');
    expect(dmsTo(REQUESTER).at(-1)).toContain('is active');
    expect(w.h.slackApi.callsTo('usergroups.users.list')).toHaveLength(2);
  });
});
