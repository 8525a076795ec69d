// Who may decide, and what happens when several people decide at once. Every refusal is audited, told to the
// clicker only, and changes nothing else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  APPROVER_GROUP,
  type ApprovalWorld,
  GROUP_APPROVER,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { cardButtonPayload, signInteraction } from '../../support/slack/signer.js';
import { userTexts, visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({ approval: { approverUserIds: [APPROVER, 'W0GRIDAPP1'] } });
  // The sandbox account names its own approver in the registry.
  const sandbox = w.config.accounts[0];
  if (sandbox) sandbox.approvers = ['U0ACCTAPP1'];
});
afterAll(() => w.close());
beforeEach(() => {
  w.h.slackApi.reset();
  w.h.slackApi.usergroups.set(APPROVER_GROUP, [GROUP_APPROVER]);
  w.std.world.resetCalls();
});

let modelCounter = 0;
/** A fresh open request for a Marketplace model nobody else in this file uses (each test starts from REQUESTED). */
async function openRequest(): Promise<string> {
  const model = `cohere.command-test-${++modelCounter}-v1:0`;
  const region = 'us-east-1';
  w.std.world.addModel({
    modelId: model,
    modelName: `Command test ${modelCounter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  await w.submitRequest({ model, region });
  const open = await w.store.repository.listOpen();
  const mine = open.find((r) => r.baseModelId === model && r.region === region);
  if (!mine) throw new Error('request not opened');
  return mine.id;
}

function answersTo(userId: string): string[] {
  const viaUrl = w.h.slackApi.responses.map((r) => visibleText(r.body));
  const viaDm = w.h.slackApi
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId)
    .map((c) => visibleText(c.args));
  return [...viaUrl, ...viaDm];
}

async function expectRefused(id: string, action: string, because: RegExp) {
  const request = await w.store.repository.get(id);
  expect(request?.state).toBe('REQUESTED');
  const trail = await w.store.repository.auditTrail(id);
  const refusal = trail.find((e) => e.action === action);
  expect(refusal?.note).toMatch(because);
  expect(w.std.world.callCount('AssumeRole')).toBe(0);
  expect(w.h.slackApi.callsTo('chat.update')).toEqual([]);
}

describe('who may approve', () => {
  it('refuses a non-approver, tells them why, and audits the attempt', async () => {
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: 'U0RANDOM01' });
    await expectRefused(id, 'approve_refused', /not an approver/);
    expect(answersTo('U0RANDOM01').join('\n')).toContain('You are not an approver for account sandbox');
    const answer = w.h.slackApi.responses[0]?.body;
    expect(answer?.response_type).toBe('ephemeral');
  });

  it('refuses someone removed from the approver group since the card was posted', async () => {
    const id = await openRequest();
    w.h.slackApi.usergroups.set(APPROVER_GROUP, ['U0SOMEONE1']);
    await w.press(ACTION.approve, id, { userId: GROUP_APPROVER });
    await expectRefused(id, 'approve_refused', /not an approver/);
  });

  it('refuses self-approval', async () => {
    w.h.slackApi.usergroups.set(APPROVER_GROUP, [REQUESTER]);
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: REQUESTER });
    await expectRefused(id, 'approve_refused', /cannot approve your own request/);
  });

  it('refuses a click from another workspace, and one addressed to another app', async () => {
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: APPROVER, teamId: 'T0OTHER001' });
    await w.press(ACTION.approve, id, { userId: APPROVER, appId: 'A0OTHER001' });
    await expectRefused(id, 'approve_refused', /workspace this bot is installed in/);
    const notes = (await w.store.repository.auditTrail(id)).map((e) => e.note ?? '');
    expect(notes).toContain('This button belongs to another Slack app.');
  });

  it('accepts an approver the account names in the registry', async () => {
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: 'U0ACCTAPP1' });
    expect((await w.store.repository.get(id))?.decidedBy?.userId).toBe('U0ACCTAPP1');
  });

  it('accepts an Enterprise Grid user (W… id) from the same workspace', async () => {
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: 'W0GRIDAPP1', enterpriseId: 'E0GRID0001' });
    const request = await w.store.repository.get(id);
    expect(request?.decidedBy?.userId).toBe('W0GRIDAPP1');
    expect(['ACTIVE', 'FAILED']).toContain(request?.state);
  });
});

describe('answering the clicker', () => {
  it('uses one response_url at most 5 times, then sends a direct message instead', async () => {
    const id = await openRequest();
    const url = w.h.slackApi.responseUrl('same-url');
    for (let i = 0; i < 6; i++) {
      await w.h.send(
        signInteraction(SIGNING_SECRET, cardButtonPayload(ACTION.approve, id, url, { userId: 'U0RANDOM02' })),
      );
      await w.h.settle();
    }
    expect(w.h.slackApi.responsesTo('same-url')).toHaveLength(5);
    const dms = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0RANDOM02');
    expect(dms).toHaveLength(1);
    expect(visibleText(dms[0]?.args ?? {})).toContain('You are not an approver');
  });
});

describe('deciding at the same time', () => {
  it('gives one decision when two approvers press Approve at once; the other is told who decided', async () => {
    const id = await openRequest();
    await Promise.all([
      w.press(ACTION.approve, id, { userId: APPROVER }, false),
      w.press(ACTION.approve, id, { userId: GROUP_APPROVER }, false),
    ]);
    await w.h.settle();

    const trail = await w.store.repository.auditTrail(id);
    expect(trail.filter((e) => e.action === 'approved')).toHaveLength(1);
    expect(w.std.world.callCount('AssumeRole')).toBe(1);
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBeLessThanOrEqual(1);
    const told = w.h.slackApi.responses.map((r) => visibleText(r.body)).join('\n');
    expect(told).toMatch(/already handled: it is (approved|activating|active) \(by <@U0(APPROVER1|GROUPAP1)>/);
  });

  it('gives one decision when Approve and Reject arrive together', async () => {
    const id = await openRequest();
    await Promise.all([
      w.press(ACTION.approve, id, { userId: APPROVER }, false),
      w.reject(id, 'Not in budget', { userId: GROUP_APPROVER }),
    ]);
    await w.h.settle();

    const trail = await w.store.repository.auditTrail(id);
    const decisions = trail.filter((e) => e.action === 'approved' || e.action === 'rejected');
    expect(decisions).toHaveLength(1);
    const request = await w.store.repository.get(id);
    if (decisions[0]?.action === 'rejected') {
      expect(request?.state).toBe('REJECTED');
      expect(w.std.world.callCount('AssumeRole')).toBe(0);
    } else {
      expect(request?.state).not.toBe('REJECTED');
    }
  });
});

describe('Reject and Cancel request', () => {
  it('rejects with the reason shown on the card and sent to the requester', async () => {
    const id = await openRequest();
    await w.reject(id, 'Use the <approved> model instead');

    expect((await w.store.repository.get(id))?.state).toBe('REJECTED');
    const last = w.messagesIn(APPROVER_CHANNEL).at(-1)?.args ?? {};
    expect(visibleText(last)).toContain(`Rejected by <@${APPROVER}>`);
    expect(userTexts(last)).toContain('Use the <approved> model instead');
    const dm = w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === REQUESTER)
      .at(-1);
    expect(visibleText(dm?.args ?? {})).toContain('was rejected by');
    expect(w.std.world.callCount('AssumeRole')).toBe(0);
  });

  it('lets the requester cancel while pending, and nobody else', async () => {
    const id = await openRequest();
    await w.press(ACTION.cancelRequest, id, { userId: APPROVER });
    expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');

    await w.press(ACTION.cancelRequest, id, { userId: REQUESTER });
    expect((await w.store.repository.get(id))?.state).toBe('CANCELLED');
    const card = visibleText(w.messagesIn(APPROVER_CHANNEL).at(-1)?.args ?? {});
    expect(card).toContain(`Cancelled by <@${REQUESTER}>`);
  });

  it('answers a forged button value without touching any request', async () => {
    await w.press(ACTION.approve, 'not-a-request-key', { userId: APPROVER });
    expect(w.h.slackApi.responses.map((r) => visibleText(r.body)).join('')).toContain('That button no longer works');
    expect(w.h.slackApi.callsTo('chat.update')).toEqual([]);
  });
});

describe('the deny-list at the click', () => {
  it('refuses to approve a model put on BLOCKED_MODELS after it was requested, audits it and assumes no role', async () => {
    const id = await openRequest();
    const request = await w.store.repository.get(id);
    w.config.approval.blockedModels.push({ pattern: request?.baseModelId ?? '', reason: 'Legal paused these terms.' });
    try {
      await w.press(ACTION.approve, id, { userId: APPROVER });
      await expectRefused(id, 'approve_refused', /not activated: Legal paused these terms\./);
      expect(answersTo(APPROVER).join('\n')).toContain('Legal paused these terms.');
      expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(0);
    } finally {
      w.config.approval.blockedModels.pop();
    }
  });
});
