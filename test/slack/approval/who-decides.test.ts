// Every decision checks the same things at the click: the app, the organisation and workspace, whoever asked (the
// requester and every joiner) not approving their own request, and the request's age. Refusals change nothing and
// are audited; an overdue request is expired, not decided.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { visibleText } from '../../support/slack/slack-assertions.js';

const GRID = 'E0GRID0001';
let w: ApprovalWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

let modelCounter = 0;
async function openRequest(world: ApprovalWorld, userId = REQUESTER): Promise<{ id: string; model: string }> {
  const model = `cohere.command-decide-${++modelCounter}-v1:0`;
  world.std.world.addModel({
    modelId: model,
    modelName: `Decide ${modelCounter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  await world.submitRequest({ model, userId });
  return { id: (await world.requestFor(model)).id, model };
}

/** What the clicker was told, by response_url or by DM. */
function toldTo(world: ApprovalWorld, userId: string): string {
  const viaUrl = world.h.slackApi.responses.map((r) => visibleText(r.body));
  const viaDm = world.h.slackApi
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId)
    .map((c) => visibleText(c.args));
  return [...viaUrl, ...viaDm].join('\n');
}

async function refusals(world: ApprovalWorld, id: string, action: string): Promise<string[]> {
  return (await world.store.repository.auditTrail(id)).filter((e) => e.action === action).map((e) => e.note ?? '');
}

describe('whoever asked is not an approver of the request', () => {
  it('refuses an approver who joined the request, unless ALLOW_SELF_APPROVAL=true', async () => {
    // Prepare: the requester asks, then an approver asks for the same model (and so joins)
    w = await startApprovalWorld();
    const { id, model } = await openRequest(w);
    await w.submitRequest({ model, userId: APPROVER });
    expect((await w.store.repository.get(id))?.joiners.map((j) => j.userId)).toEqual([APPROVER]);

    // Act
    await w.press(ACTION.approve, id, { userId: APPROVER });

    // Assess
    expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
    expect(await refusals(w, id, 'approve_refused')).toEqual([expect.stringMatching(/you joined this request/)]);
    expect(toldTo(w, APPROVER)).toContain('you cannot approve it');
    expect(w.std.world.callCount('AssumeRole')).toBe(0);

    // Act: with self-approval allowed, the same click approves
    w.config.approval.allowSelfApproval = true;
    await w.press(ACTION.approve, id, { userId: APPROVER });

    // Assess
    expect((await w.store.repository.get(id))?.decidedBy?.userId).toBe(APPROVER);
  });
});

describe('Cancel request checks what Approve and Reject check', () => {
  it('refuses the requester’s own user id arriving from another workspace or another app', async () => {
    // Prepare
    w = await startApprovalWorld();
    const { id } = await openRequest(w);

    // Act
    await w.press(ACTION.cancelRequest, id, { userId: REQUESTER, teamId: 'T0OTHER001' });
    await w.press(ACTION.cancelRequest, id, { userId: REQUESTER, appId: 'A0OTHER001' });

    // Assess
    expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
    expect(await refusals(w, id, 'cancel_refused')).toEqual([
      'Only people in the workspace this bot is installed in can decide requests.',
      'This button belongs to another Slack app.',
    ]);
    expect(w.messagesIn(APPROVER_CHANNEL).filter((m) => m.method === 'chat.update')).toEqual([]);

    // Act: the same person from the right workspace and app
    await w.press(ACTION.cancelRequest, id, { userId: REQUESTER });

    // Assess
    expect((await w.store.repository.get(id))?.state).toBe('CANCELLED');
  });
});

describe('Enterprise Grid: a click from another workspace of the organisation', () => {
  const OTHER_WORKSPACE = { userId: APPROVER, enterpriseId: GRID, teamId: 'T0OTHERWS1' };

  it('is refused by default (ALLOW_CROSS_WORKSPACE_APPROVAL=false), for Approve, Reject and Cancel', async () => {
    // Prepare: the bot is installed in workspace T0TEAM0001 of organisation E0GRID0001
    w = await startApprovalWorld();
    w.h.slackApi.enterpriseId = GRID;
    const { id } = await openRequest(w);

    // Act
    await w.press(ACTION.approve, id, OTHER_WORKSPACE);
    await w.reject(id, 'Not from over here', OTHER_WORKSPACE);
    await w.press(ACTION.cancelRequest, id, { ...OTHER_WORKSPACE, userId: REQUESTER });

    // Assess
    expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
    for (const action of ['approve_refused', 'reject_refused', 'cancel_refused']) {
      expect(await refusals(w, id, action)).toEqual([expect.stringMatching(/another workspace of the organisation/)]);
    }
    expect(w.std.world.callCount('AssumeRole')).toBe(0);

    // Act: the same approver from the request's own workspace
    await w.press(ACTION.approve, id, { userId: APPROVER, enterpriseId: GRID });

    // Assess
    expect((await w.store.repository.get(id))?.decidedBy?.userId).toBe(APPROVER);
  });

  it('is accepted with ALLOW_CROSS_WORKSPACE_APPROVAL=true; another organisation still is not', async () => {
    // Prepare
    w = await startApprovalWorld({ approval: { allowCrossWorkspaceApproval: true } });
    w.h.slackApi.enterpriseId = GRID;
    const { id } = await openRequest(w);

    // Act
    await w.press(ACTION.approve, id, { ...OTHER_WORKSPACE, enterpriseId: 'E0OTHERORG' });
    const afterForeign = (await w.store.repository.get(id))?.state;
    await w.press(ACTION.approve, id, OTHER_WORKSPACE);

    // Assess
    expect(afterForeign).toBe('REQUESTED');
    const request = await w.store.repository.get(id);
    expect(request?.decidedBy?.userId).toBe(APPROVER);
    expect(['APPROVED', 'ACTIVATING', 'ACTIVE']).toContain(request?.state);
  });
});

describe('a request older than REQUEST_EXPIRE_AFTER_HOURS, before the reconciler runs', () => {
  it('cannot be approved or rejected: the click expires it, audits it and tells the clicker', async () => {
    // Prepare: half an hour to decide (REQUEST_EXPIRE_AFTER_HOURS=0.5), then 31 minutes pass with no reconciler
    let offset = 0;
    w = await startApprovalWorld({ now: () => Date.now() + offset, approval: { expireAfterMs: 30 * 60_000 } });
    const world = w;
    const first = await openRequest(world);
    const second = await openRequest(world);
    offset = 31 * 60_000;

    // Act
    await world.press(ACTION.approve, first.id, { userId: APPROVER });
    await world.reject(second.id, 'Too late anyway');

    // Assess
    for (const { id } of [first, second]) {
      const request = await world.store.repository.get(id);
      expect(request?.state).toBe('EXPIRED');
      const expired = (await world.store.repository.auditTrail(id)).find((e) => e.action === 'expired');
      expect(expired).toMatchObject({ actor: { userId: APPROVER }, note: 'No decision within 30 minutes.' });
    }
    expect(world.std.world.callCount('AssumeRole')).toBe(0);
    expect(toldTo(world, APPROVER)).toMatch(
      /This request expired before you decided: nobody decided within 30 minutes/,
    );
    const toRequester = world.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === REQUESTER);
    expect(toRequester.map((c) => visibleText(c.args)).join('\n')).toContain('expired');
    expect(visibleText(world.messagesIn(APPROVER_CHANNEL).at(-1)?.args ?? {})).toContain('Expired');
  });
});
