// The flow's figures, read off the real store's transitions (dynalite, real dynamoose): what happened is counted once,
// what was refused is not counted at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FlowEvent,
  type FlowMetrics,
  withDiagnosisMetrics,
  withFlowMetrics,
} from '../../src/access/flow-metrics.js';
import type { RequestRepository } from '../../src/access/request-repository.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { type Fixture, requestInput, startFixture } from '../store/store-fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await f.close();
});

const approver = { userId: 'U0APPROVER' };
const worker = { userId: 'system:worker' };

function metered(): { repository: RequestRepository; events: FlowEvent[] } {
  const events: FlowEvent[] = [];
  const metrics: FlowMetrics = { record: (event) => events.push(event) };
  return { repository: withFlowMetrics(f.store.repository, metrics), events };
}

describe('flow metrics from the request store', () => {
  it('counts a request, its approval, and the seconds from Approve to active', async () => {
    const { repository, events } = metered();
    const { request } = await repository.openOrJoin(requestInput());
    await repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });
    await repository.transition(request.id, { from: 'APPROVED', to: 'ACTIVATING', actor: worker });
    await repository.transition(request.id, { from: 'ACTIVATING', to: 'ACTIVE', actor: worker });

    const done = await f.store.repository.get(request.id);
    const seconds = (Date.parse(done?.finishedAt ?? '') - Date.parse(done?.decidedAt ?? '')) / 1000;
    expect(events).toEqual([
      { kind: 'request_opened', joined: false },
      { kind: 'decided', decision: 'approved' },
      { kind: 'activation_ended', outcome: 'active', secondsFromApproval: seconds },
    ]);
    expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('counts a second requester as a join, and a failure by its code', async () => {
    const { repository, events } = metered();
    const input = requestInput();
    const { request } = await repository.openOrJoin(input);
    await repository.openOrJoin({ ...input, requester: { userId: 'U0SECOND01' } });
    await repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });
    await repository.transition(request.id, {
      from: 'APPROVED',
      to: 'FAILED',
      actor: worker,
      patch: { error: { code: 'ROLE_PERMISSION_MISSING', message: 'AccessDenied on GetFoundationModel' } },
    });

    expect(events).toEqual([
      { kind: 'request_opened', joined: false },
      { kind: 'request_opened', joined: true },
      { kind: 'decided', decision: 'approved' },
      { kind: 'activation_ended', outcome: 'failed', reason: 'ROLE_PERMISSION_MISSING' },
    ]);
  });

  it('does not count a decision the store refused (a second click on a decided request)', async () => {
    const { repository, events } = metered();
    const { request } = await repository.openOrJoin(requestInput());
    await repository.transition(request.id, { from: 'REQUESTED', to: 'REJECTED', actor: approver });

    const again = await repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });

    expect(again.ok).toBe(false);
    expect(events).toEqual([
      { kind: 'request_opened', joined: false },
      { kind: 'decided', decision: 'rejected' },
    ]);
  });

  it('buckets a failure code that is not one of ours', async () => {
    const { repository, events } = metered();
    const { request } = await repository.openOrJoin(requestInput());
    await repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });
    await repository.transition(request.id, {
      from: 'APPROVED',
      to: 'FAILED',
      actor: worker,
      patch: { error: { code: 'pasted text with spaces', message: 'x' } },
    });

    expect(events.at(-1)).toEqual({ kind: 'activation_ended', outcome: 'failed', reason: 'UNKNOWN' });
  });
});

describe('flow metrics from the diagnosis engine', () => {
  it('records the category of each diagnosis and returns the diagnosis unchanged', () => {
    const events: FlowEvent[] = [];
    const counted = withDiagnosisMetrics(diagnose, { record: (event) => events.push(event) });
    const text =
      'AccessDeniedException: Model access is denied due to IAM user or service role is not authorized to perform ' +
      'the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe)';

    const diagnosis = counted(text);

    expect(diagnosis).toEqual(diagnose(text));
    expect(events).toEqual([{ kind: 'diagnosed', category: 'marketplace_subscription_missing' }]);
  });
});
