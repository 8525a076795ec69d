// What approvers and requesters see when the activation cannot finish, and how the flow recovers: AWS refusals,
// a settle past the deadline, a job that died, Slack refusing chat.update, reminders and expiry.
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTORS } from '../../../src/access/approval-ports.js';
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
import { visibleText } from '../../support/slack/slack-assertions.js';

let w: ApprovalWorld;
afterEach(() => w.close());

const lastCard = () => visibleText(w.messagesIn(APPROVER_CHANNEL).at(-1)?.args ?? {});
const lastDm = (userId = REQUESTER) =>
  visibleText(
    w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === userId)
      .at(-1)?.args ?? {},
  );

async function requestAndApprove(model: string = MODELS.cohere) {
  await w.submitRequest({ model });
  const request = await w.requestFor(model);
  await w.press(ACTION.approve, request.id, { userId: APPROVER });
  return (await w.store.repository.get(request.id)) ?? request;
}

describe('activation failures', () => {
  it('fails with the trust-policy reason when AssumeRole is denied, and tells the requester', async () => {
    w = await startApprovalWorld();
    w.std.world.injectFault('AssumeRole', { kind: 'access-denied' });

    const request = await requestAndApprove();

    expect(request.state).toBe('FAILED');
    expect(request.error?.code).toBe('ASSUME_ROLE_DENIED');
    expect(lastCard()).toContain('*Failed:* The bot may not assume the activation role');
    expect(lastCard()).toContain('/bedrock request');
    expect(lastDm()).toContain('Activating `cohere.command-r-plus-v1:0` failed');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
    const trail = await w.store.repository.auditTrail(request.id);
    expect(trail.map((e) => e.action)).toEqual(['requested', 'approved', 'activation_started', 'failed']);
  });

  it('names the missing Marketplace action when the activation role lacks it', async () => {
    w = await startApprovalWorld({
      activationPolicy: { allow: ['bedrock:*'] },
    });
    const request = await requestAndApprove();
    expect(request.state).toBe('FAILED');
    expect(request.error?.code).toBe('MARKETPLACE_DENIED');
    expect(lastCard()).toContain('lacks AWS Marketplace rights');
    expect(lastCard()).toContain('aws-marketplace:');
    expect(w.std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });

  it('keeps a settle past the deadline ACTIVATING, then the reconciler finishes it without a second agreement', async () => {
    w = await startApprovalWorld({
      settleMs: 1200,
      activation: { deadlineMs: 150, pollIntervalMs: 20 },
      approval: { reconcileIntervalMs: 0 },
    });
    const request = await requestAndApprove();

    expect(request.state).toBe('ACTIVATING');
    expect(lastCard()).toContain('the bot keeps checking');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);

    await new Promise((r) => setTimeout(r, 1300));
    const report = await w.h.slack.approval?.reconcile();
    await w.h.settle();

    expect(report?.redriven).toEqual([request.id]);
    expect((await w.store.repository.get(request.id))?.state).toBe('ACTIVE');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(lastCard()).toContain('*Active.*');
    expect(lastDm()).toContain('is active');
  });

  it('re-drives an activation whose job died after the agreement was created', async () => {
    w = await startApprovalWorld({ approval: { reconcileIntervalMs: 0 } });
    await w.submitRequest({ model: MODELS.cohere });
    const open = await w.requestFor(MODELS.cohere);
    // The dead process approved, started, and got as far as creating the agreement.
    const approved = await w.store.repository.transition(open.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: { userId: APPROVER },
    });
    expect(approved.ok).toBe(true);
    await w.store.repository.transition(open.id, { from: 'APPROVED', to: 'ACTIVATING', actor: SYSTEM_ACTORS.worker });
    w.std.world.setAgreement(SANDBOX, MODELS.cohere, 'PENDING');

    await w.h.slack.approval?.reconcile();
    await w.h.settle();

    expect((await w.store.repository.get(open.id))?.state).toBe('ACTIVE');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
    expect(w.std.world.sessions()[0]?.sourceIdentity).toBe(APPROVER);
  });
});

describe('Slack failing', () => {
  it('leaves an approved request for the reconciler when the approver group cannot be read, then activates it', async () => {
    w = await startApprovalWorld({ approval: { reconcileIntervalMs: 0 } });
    await w.submitRequest({ model: MODELS.cohere });
    const open = await w.requestFor(MODELS.cohere);
    await w.store.repository.transition(open.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: { userId: GROUP_APPROVER },
    });
    w.h.slackApi.failNext('usergroups.users.list', { error: 'internal_error' });

    await w.h.slack.approval?.reconcile();
    await w.h.settle();
    expect((await w.store.repository.get(open.id))?.state).toBe('APPROVED');
    expect(w.std.world.callCount('AssumeRole')).toBe(0);

    await w.h.slack.approval?.reconcile();
    await w.h.settle();
    expect((await w.store.repository.get(open.id))?.state).toBe('ACTIVE');
    expect(w.std.world.sessions()[0]?.sourceIdentity).toBe(GROUP_APPROVER);
  });

  it('retries a failing chat.update, then posts the card anew and remembers where', async () => {
    w = await startApprovalWorld();
    await w.submitRequest({ model: MODELS.cohere });
    const open = await w.requestFor(MODELS.cohere);
    w.h.slackApi.failNext('chat.update', { error: 'message_not_found' }, 3);

    await w.press(ACTION.approve, open.id, { userId: APPROVER });

    const done = await w.store.repository.get(open.id);
    expect(done?.state).toBe('ACTIVE');
    const reposted = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === APPROVER_CHANNEL);
    expect(reposted).toHaveLength(2);
    expect(done?.approvalMessage?.ts).not.toBe(open.approvalMessage?.ts);
    const laterUpdates = w.h.slackApi.callsTo('chat.update').filter((c) => c.args.ts === done?.approvalMessage?.ts);
    expect(laterUpdates.length).toBeGreaterThan(0);
    expect(lastCard()).toContain('*Active.*');
  });
});

describe('reminders and expiry', () => {
  it('reminds in the card thread after the reminder time, then expires the request and tells the requester', async () => {
    let offset = 0;
    w = await startApprovalWorld({
      now: () => Date.now() + offset,
      approval: { remindAfterMs: 60 * 60_000, expireAfterMs: 72 * 3_600_000 },
    });
    await w.submitRequest({ model: MODELS.cohere });
    const open = await w.requestFor(MODELS.cohere);

    offset = 30 * 60_000;
    expect((await w.h.slack.approval?.reconcile())?.reminded).toEqual([]);

    offset = 61 * 60_000;
    expect((await w.h.slack.approval?.reconcile())?.reminded).toEqual([open.id]);
    expect((await w.h.slack.approval?.reconcile())?.reminded).toEqual([]);
    const reminder = w.h.slackApi
      .callsTo('chat.postMessage')
      .find((c) => c.args.thread_ts === open.approvalMessage?.ts);
    expect(visibleText(reminder?.args ?? {})).toContain('<!subteam^S0APPROVERS>');

    offset = 73 * 3_600_000;
    expect((await w.h.slack.approval?.reconcile())?.expired).toEqual([open.id]);
    expect((await w.store.repository.get(open.id))?.state).toBe('EXPIRED');
    expect(lastDm()).toContain('expired');
    expect(lastCard()).toContain('Expired');
  });
});
