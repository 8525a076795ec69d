// Asking for a model: the modal opens at once, bad values come back inline, and the status check decides what
// happens: usable, refused, not managed, joined or opened.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../../src/slack/action-ids.js';
import { MODELS, SANDBOX } from '../../fakes/aws/standard-world.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  REQUESTER,
  startApprovalWorld,
} from '../../support/approval/approval-world.js';
import { buttonPayload, signInteraction, signSlashCommand, viewSubmissionPayload } from '../../support/slack/signer.js';
import { visibleText } from '../../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../../support/slack/slack-harness.js';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await startApprovalWorld({
    approval: { blockedModels: [{ pattern: 'ai21.*', reason: 'Legal has not cleared AI21 terms yet.' }] },
  });
});
afterAll(() => w.close());
beforeEach(() => {
  w.h.slackApi.reset();
  w.std.world.resetCalls();
});

function dmsTo(userId: string): string[] {
  return w.h.slackApi
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId)
    .map((c) => visibleText(c.args));
}

let counter = 0;
function freshModel(): string {
  const model = `cohere.command-req-${++counter}-v1:0`;
  w.std.world.addModel({
    modelId: model,
    modelName: `Command ${counter}`,
    providerName: 'Cohere',
    regions: ['us-east-1'],
  });
  return model;
}

describe('opening the request modal', () => {
  it('opens it from the Request activation button with the model, account and region prefilled', async () => {
    const value = JSON.stringify({ m: MODELS.cohere, r: 'us-west-2', a: SANDBOX });
    const res = await w.h.send(
      signInteraction(SIGNING_SECRET, buttonPayload(ACTION.requestActivation, value, w.h.slackApi.responseUrl('b1'))),
    );
    await w.h.settle();

    expect(res.status).toBe(200);
    const [open] = w.h.slackApi.callsTo('views.open');
    expect(open?.args.trigger_id).toBe('1.2.3');
    const view = (typeof open?.args.view === 'string' ? JSON.parse(open.args.view) : open?.args.view) as {
      callback_id: string;
      blocks: Array<{ block_id: string; element: { initial_value?: string; initial_option?: { value: string } } }>;
    };
    expect(view.callback_id).toBe(VIEW.requestModal);
    const initial = Object.fromEntries(
      view.blocks.map((b) => [b.block_id, b.element.initial_value ?? b.element.initial_option?.value]),
    );
    expect(initial).toEqual({ model: MODELS.cohere, account: SANDBOX, region: 'us-west-2', reason: undefined });
    expect(w.h.slackApi.responses).toEqual([]);
  });

  it('opens it from /bedrock request <model> [region]', async () => {
    await w.h.send(
      signSlashCommand(SIGNING_SECRET, {
        text: `request ${MODELS.haiku} eu-west-1`,
        response_url: w.h.slackApi.responseUrl('c1'),
        trigger_id: '9.9.9',
      }),
    );
    await w.h.settle();
    const [open] = w.h.slackApi.callsTo('views.open');
    expect(open?.args.trigger_id).toBe('9.9.9');
    expect(JSON.stringify(open?.args.view)).toContain(MODELS.haiku);
  });

  it('says an account the error named is not managed by this bot', async () => {
    const value = JSON.stringify({ m: MODELS.cohere, a: '999988887777' });
    await w.h.send(
      signInteraction(SIGNING_SECRET, buttonPayload(ACTION.requestActivation, value, w.h.slackApi.responseUrl('b2'))),
    );
    await w.h.settle();
    expect(visibleText(w.h.slackApi.responsesTo('b2')[0]?.body ?? {})).toContain('not managed by this bot');
    expect(w.h.slackApi.callsTo('views.open')).toEqual([]);
  });

  it('shows bad values inline in the modal', async () => {
    const payload = viewSubmissionPayload(VIEW.requestModal, {
      model: 'not a model',
      account: SANDBOX,
      region: 'ap-south-1',
      reason: 'x',
    });
    const res = await w.h.send(signInteraction(SIGNING_SECRET, payload));
    await w.h.settle();
    const body = JSON.parse(res.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['model', 'reason', 'region']);
    expect(await w.store.repository.listOpen()).toEqual([]);
  });
});

describe('after submission', () => {
  it('joins a second requester to the open request: no second card, the card shows "also asked by"', async () => {
    const model = freshModel();
    await w.submitRequest({ model });
    await w.submitRequest({ model, userId: 'U0SECOND01', reason: 'Same need for the billing team.' });

    const cards = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === APPROVER_CHANNEL);
    expect(cards).toHaveLength(1);
    const updated = w.h.slackApi.callsTo('chat.update').at(-1);
    expect(visibleText(updated?.args ?? {})).toContain('Also asked by <@U0SECOND01>');
    expect(dmsTo('U0SECOND01').join('')).toContain('you have joined that request');
    expect(dmsTo('U0SECOND01').join('')).toContain(`https://example.slack.com/archives/${APPROVER_CHANNEL}/p`);
    const request = await w.requestFor(model);
    expect(request.joiners.map((j) => j.userId)).toEqual(['U0SECOND01']);

    // Both are told when it ends
    await w.press(ACTION.approve, request.id, { userId: APPROVER });
    expect(dmsTo(REQUESTER).at(-1)).toContain('is active');
    expect(dmsTo('U0SECOND01').at(-1)).toContain('is active');
  });

  it('refuses a model on the deny-list with its reason, before any AWS call', async () => {
    await w.submitRequest({ model: MODELS.jamba, region: 'us-west-2' });
    expect(dmsTo(REQUESTER).join('')).toContain('Legal has not cleared AI21 terms yet.');
    expect(w.std.world.calls).toEqual([]);
    expect(await w.store.repository.listByModel(SANDBOX, 'us-west-2', MODELS.jamba)).toEqual([]);
  });

  it('says an ARN naming an unregistered account is not managed by this bot', async () => {
    await w.submitRequest({ model: `arn:aws:bedrock:us-east-1:999988887777:inference-profile/us.${MODELS.haiku}` });
    expect(dmsTo(REQUESTER).join('')).toContain('Account 999988887777 is not managed by this bot');
    expect(w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === APPROVER_CHANNEL)).toEqual([]);
  });

  it('tells the requester a first-party model is usable already, and opens nothing', async () => {
    await w.submitRequest({ model: MODELS.nova });
    expect(dmsTo(REQUESTER).join('')).toContain('No request is needed');
    expect(await w.store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.nova)).toEqual([]);
  });

  it('says a model whose agreement AWS is settling will work shortly, and opens nothing', async () => {
    const model = freshModel();
    w.std.world.setAgreement(SANDBOX, model, 'PENDING');
    // Still settling when the check runs, however slow the machine (the world settles after 40 ms).
    const agreement = w.std.world.agreements.get(`${SANDBOX}|${model}`);
    if (agreement) agreement.settleAt = Number.POSITIVE_INFINITY;
    await w.submitRequest({ model });
    expect(dmsTo(REQUESTER).join('')).toContain('no request is needed');
    expect(await w.store.repository.listByModel(SANDBOX, 'us-east-1', model)).toEqual([]);
  });

  it('refuses a legacy model with the reason', async () => {
    await w.submitRequest({ model: MODELS.claudeV2 });
    expect(dmsTo(REQUESTER).join('')).toMatch(/Legacy|legacy/);
    expect(await w.store.repository.listByModel(SANDBOX, 'us-east-1', MODELS.claudeV2)).toEqual([]);
  });
});

describe('/bedrock requests', () => {
  it('shows approvers every open request and others only their own, with links to the cards', async () => {
    const mine = freshModel();
    const theirs = freshModel();
    await w.submitRequest({ model: mine });
    await w.submitRequest({ model: theirs, userId: 'U0OTHER001' });

    const ask = async (userId: string, id: string) => {
      await w.h.send(
        signSlashCommand(SIGNING_SECRET, {
          text: 'requests',
          user_id: userId,
          response_url: w.h.slackApi.responseUrl(id),
        }),
      );
      await w.h.settle();
      return w.h.slackApi
        .responsesTo(id)
        .map((r) => visibleText(r.body))
        .join('\n');
    };
    const approverView = await ask(APPROVER, 'l1');
    expect(approverView).toContain(mine);
    expect(approverView).toContain(theirs);
    expect(approverView).toContain('https://example.slack.com/archives/');
    const requesterView = await ask(REQUESTER, 'l2');
    expect(requesterView).toContain(mine);
    expect(requesterView).not.toContain(theirs);
  });
});
