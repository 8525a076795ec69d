// Authorization (AUTHZ), concurrency (SM) and Slack-fault (SLK) cases of ../shared/reference/faults-and-bad-inputs.md
// that the approval flow's own tests do not already show, through the same real parts: signed requests into the
// real Bolt receiver, the fake Slack Web API, the real SDK against the fake AWS, the embedded store.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, VIEW } from '../../src/slack/action-ids.js';
import { MODELS, SANDBOX } from '../fakes/aws/standard-world.js';
import {
  APPROVER,
  APPROVER_CHANNEL,
  type ApprovalWorld,
  GROUP_APPROVER,
  REQUESTER,
  startApprovalWorld,
} from '../support/approval/approval-world.js';
import {
  buttonPayload,
  cardButtonPayload,
  signInteraction,
  signSlashCommand,
  viewSubmissionPayload,
} from '../support/slack/signer.js';
import { visibleText } from '../support/slack/slack-assertions.js';
import { SIGNING_SECRET } from '../support/slack/slack-harness.js';

let w: ApprovalWorld;
afterEach(() => w.close());

async function openRequest(userId = REQUESTER): Promise<string> {
  await w.submitRequest({ model: MODELS.cohere, userId });
  return (await w.requestFor(MODELS.cohere)).id;
}

const answers = () => w.h.slackApi.responses.map((r) => visibleText(r.body)).join('\n');

async function expectUndecided(id: string, because: RegExp) {
  expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
  const refusal = (await w.store.repository.auditTrail(id)).find((e) => e.action === 'approve_refused');
  expect(refusal?.note).toMatch(because);
  expect(w.std.world.callCount('AssumeRole')).toBe(0);
}

/** The process still answers a normal command. */
async function expectStillServing() {
  const res = await w.h.send(
    signSlashCommand(SIGNING_SECRET, { text: 'help', response_url: w.h.slackApi.responseUrl() }),
  );
  expect(res.status).toBe(200);
}

describe('who may approve (AUTHZ)', () => {
  it('refuses an approver (an admin) approving their own request', async () => {
    w = await startApprovalWorld();
    const id = await openRequest(APPROVER);

    await w.press(ACTION.approve, id, { userId: APPROVER });

    await expectUndecided(id, /cannot approve your own request/);
    expect(answers()).toContain('You cannot approve your own request');
  });

  it('refuses, rather than guesses, when the approver group cannot be read from Slack', async () => {
    w = await startApprovalWorld();
    const id = await openRequest();
    w.h.slackApi.failNext('usergroups.users.list', { httpStatus: 503 }, 10);

    await w.press(ACTION.approve, id, { userId: GROUP_APPROVER });

    await expectUndecided(id, /could not read the approver group/);
    expect(answers()).toContain('could not read the approver group');
    await expectStillServing();
  });
});

describe('repeated clicks and requests (SM)', () => {
  it('makes one decision and one activation when the same approver double-clicks Approve', async () => {
    w = await startApprovalWorld();
    const id = await openRequest();

    const [first, second] = await Promise.all([
      w.press(ACTION.approve, id, { userId: APPROVER }, false),
      w.press(ACTION.approve, id, { userId: APPROVER }, false),
    ]);
    await w.h.settle();

    expect([first.status, second.status]).toEqual([200, 200]);
    const trail = await w.store.repository.auditTrail(id);
    expect(trail.filter((e) => e.action === 'approved')).toHaveLength(1);
    expect((await w.store.repository.get(id))?.state).toBe('ACTIVE');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(answers()).toMatch(/already handled/);
  });

  it('treats the same signed Approve replayed later as a no-op: no second write, no second agreement call', async () => {
    w = await startApprovalWorld();
    const id = await openRequest();
    const replayed = signInteraction(
      SIGNING_SECRET,
      cardButtonPayload(ACTION.approve, id, w.h.slackApi.responseUrl('replay'), { userId: APPROVER }),
    );

    const first = await w.h.send(replayed);
    await w.h.settle();
    const versionAfterFirst = (await w.store.repository.get(id))?.version;
    const again = await w.h.send(replayed);
    await w.h.settle();

    expect([first.status, again.status]).toEqual([200, 200]);
    expect((await w.store.repository.get(id))?.version).toBe(versionAfterFirst);
    expect((await w.store.repository.auditTrail(id)).filter((e) => e.action === 'approved')).toHaveLength(1);
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(1);
    expect(visibleText(w.h.slackApi.responsesTo('replay').at(-1)?.body ?? {})).toMatch(/already handled/);
  });

  it('joins a second /bedrock request for the same account and model while the first is open', async () => {
    w = await startApprovalWorld();
    const id = await openRequest();
    await w.submitRequest({ model: MODELS.cohere, userId: 'U0SECOND01' });

    const open = await w.store.repository.listOpen();
    expect(open.map((r) => r.id)).toEqual([id]);
    expect(open[0]?.joiners.map((j) => j.userId)).toEqual(['U0SECOND01']);
    expect(w.messagesIn(APPROVER_CHANNEL).filter((m) => m.method === 'chat.postMessage')).toHaveLength(1);
  });
});

describe('what is asked for (input, AWS)', () => {
  it('refuses a model id failing the Bedrock pattern before any AWS call: inline, or by the check after submission', async () => {
    w = await startApprovalWorld();
    w.std.world.resetCalls();
    const submit = async (model: string) => {
      const res = await w.h.send(
        signInteraction(
          SIGNING_SECRET,
          viewSubmissionPayload(VIEW.requestModal, {
            model,
            account: SANDBOX,
            region: 'us-east-1',
            reason: 'Summarising support tickets for the help desk team.',
          }),
        ),
      );
      await w.h.settle();
      return res.text;
    };

    // Not even shaped like an id (spaces, markup): shown next to the field, the modal stays open.
    const inline = JSON.parse(await submit('anthropic claude <!here>')) as { errors?: Record<string, string> };
    expect(Object.keys(inline.errors ?? {})).toEqual(['model']);
    // Shaped like one but not Bedrock's pattern (upper case, over 140 characters): the requester is told why.
    for (const model of ['Anthropic.Claude-v2', `cohere.${'a'.repeat(140)}`]) {
      expect(await submit(model)).toBe('');
      const told = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0USER0001');
      expect(visibleText(told.at(-1)?.args ?? {})).toContain('is not a Bedrock model id');
    }

    expect(w.std.world.calls).toEqual([]);
    expect(await w.store.repository.listOpen()).toEqual([]);
  });

  it('does not reopen a request for a model whose agreement is in place (calls may still fail for ~2 minutes)', async () => {
    w = await startApprovalWorld();
    w.std.world.setAgreement(SANDBOX, MODELS.cohere, 'AVAILABLE');

    await w.submitRequest({ model: MODELS.cohere });

    const told = w.h.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === REQUESTER)
      .map((c) => visibleText(c.args))
      .join('\n');
    expect(told).toContain('No request is needed');
    expect(await w.store.repository.listOpen()).toEqual([]);
    expect(w.messagesIn(APPROVER_CHANNEL)).toEqual([]);
  });
});

describe('AWS throttling an approved activation', () => {
  async function approve(): Promise<string> {
    const id = await openRequest();
    await w.press(ACTION.approve, id, { userId: APPROVER });
    return id;
  }

  it('keeps the request ACTIVATING and runs it again later, ending with one agreement', async () => {
    w = await startApprovalWorld({ approval: { reconcileIntervalMs: 0 } });
    w.std.world.injectFault('CreateFoundationModelAgreement', { kind: 'throttle', times: 1 });

    const id = await approve();

    expect((await w.store.repository.get(id))?.state).toBe('ACTIVATING');
    expect((await w.store.repository.auditTrail(id)).map((e) => e.action)).toContain('throttled');

    await w.h.slack.approval?.reconcile();
    await w.h.settle();

    expect((await w.store.repository.get(id))?.state).toBe('ACTIVE');
    expect(w.std.world.callCount('CreateFoundationModelAgreement', (c) => c.status === 202)).toBe(1);
  });

  it('gives up after a bounded number of throttled runs, saying why', async () => {
    w = await startApprovalWorld({ approval: { reconcileIntervalMs: 0 } });
    w.std.world.injectFault('CreateFoundationModelAgreement', { kind: 'throttle' });

    const id = await approve();
    for (let run = 0; run < 10 && (await w.store.repository.get(id))?.state === 'ACTIVATING'; run++) {
      await w.h.slack.approval?.reconcile();
      await w.h.settle();
    }

    const request = await w.store.repository.get(id);
    expect(request?.state).toBe('FAILED');
    expect(request?.error?.code).toBe('THROTTLED');
    expect(w.std.world.callCount('CreateFoundationModelAgreement')).toBe(5);
    expect(w.std.world.agreement(SANDBOX, MODELS.cohere)).toBeUndefined();
  });
});

describe('Slack refusing the approval flow (SLK)', () => {
  it('tells the requester when the approver channel refuses the card, keeps the request, and posts it later', async () => {
    w = await startApprovalWorld();
    w.h.slackApi.failNext('chat.postMessage', { error: 'is_archived' });

    const id = await openRequest();

    const toRequester = w.h.slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === REQUESTER);
    expect(visibleText(toRequester.at(-1)?.args ?? {})).toContain('Slack did not take the approval card');
    expect(w.h.logs.some((l) => l.msg === 'could not post the approval card' && l.slackError === 'is_archived')).toBe(
      true,
    );
    expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');

    const report = await w.h.slack.approval?.reconcile();
    expect(report?.cardsPosted).toEqual([id]);
    expect((await w.store.repository.get(id))?.approvalMessage?.channelId).toBe(APPROVER_CHANNEL);
  });

  describe('a form Slack would not open in time (expired_trigger_id)', () => {
    const expectToldToRetry = (responseId: string, again: string) => {
      const told = visibleText(w.h.slackApi.responsesTo(responseId).at(-1)?.body ?? {});
      expect(told).toContain('Slack gave up on opening the form');
      expect(told).toContain(again);
      expect(told).not.toContain('something went wrong on our side');
    };

    it('tells the person to run /bedrock request again, opens nothing, and keeps serving', async () => {
      w = await startApprovalWorld();
      w.h.slackApi.failNext('views.open', { error: 'expired_trigger_id' });

      const res = await w.h.send(
        signSlashCommand(SIGNING_SECRET, {
          text: `request ${MODELS.cohere}`,
          response_url: w.h.slackApi.responseUrl('expired-command'),
          user_id: REQUESTER,
        }),
      );
      await w.h.settle();

      expect(res.status).toBe(200);
      expectToldToRetry('expired-command', 'Run `/bedrock request` again.');
      expect(await w.store.repository.listOpen()).toEqual([]);
      await expectStillServing();
    });

    it('tells the person to press Request activation again', async () => {
      w = await startApprovalWorld();
      w.h.slackApi.failNext('views.open', { error: 'expired_trigger_id' });
      const value = JSON.stringify({ m: MODELS.cohere, r: 'us-east-1', a: SANDBOX });

      await w.h.send(
        signInteraction(
          SIGNING_SECRET,
          buttonPayload(ACTION.requestActivation, value, w.h.slackApi.responseUrl('expired-button')),
        ),
      );
      await w.h.settle();

      expectToldToRetry('expired-button', 'Press Request activation again.');
    });

    it('tells the approver to press Reject again, and the request stays undecided', async () => {
      w = await startApprovalWorld();
      const id = await openRequest();
      w.h.slackApi.failNext('views.open', { error: 'expired_trigger_id' });

      await w.h.send(
        signInteraction(
          SIGNING_SECRET,
          cardButtonPayload(ACTION.reject, id, w.h.slackApi.responseUrl('expired-reject'), { userId: APPROVER }),
        ),
      );
      await w.h.settle();

      expectToldToRetry('expired-reject', 'Press Reject again.');
      expect((await w.store.repository.get(id))?.state).toBe('REQUESTED');
    });
  });
});
