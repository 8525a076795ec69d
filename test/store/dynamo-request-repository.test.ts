import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivationRequest,
  InvalidStoredItemError,
  isLegalTransition,
  REQUEST_STATES,
  type RequestState,
} from '../../src/access/request-repository.js';
import { keys } from '../../src/store/table-design.js';
import { type Fixture, requestInput, startFixture } from './store-fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await f.close();
});

const approver = { userId: 'U0APPROVER', teamId: 'T0TEAM0001' };
const slack = { teamId: 'T0TEAM0001', channelId: 'C0APPROVERS' };

/** The shortest path of legal transitions from REQUESTED to each state. */
const PATHS: Record<RequestState, RequestState[]> = {
  REQUESTED: [],
  APPROVED: ['APPROVED'],
  ACTIVATING: ['APPROVED', 'ACTIVATING'],
  ACTIVE: ['APPROVED', 'ACTIVATING', 'ACTIVE'],
  REJECTED: ['REJECTED'],
  EXPIRED: ['EXPIRED'],
  CANCELLED: ['CANCELLED'],
  FAILED: ['APPROVED', 'FAILED'],
};

async function requestIn(state: RequestState): Promise<ActivationRequest> {
  let { request } = await f.store.repository.openOrJoin(requestInput());
  for (const to of PATHS[state]) {
    const result = await f.store.repository.transition(request.id, { from: request.state, to, actor: approver, slack });
    if (!result.ok) throw new Error(`setup failed: ${JSON.stringify(result)}`);
    request = result.request;
  }
  return request;
}

async function rawItem(key: { pk: string; sk: string }) {
  const out = await f.raw.getItem({
    TableName: f.table,
    Key: { pk: { S: key.pk }, sk: { S: key.sk } },
    ConsistentRead: true,
  });
  return out.Item;
}

describe('transition', () => {
  const pairs = REQUEST_STATES.flatMap((from) => REQUEST_STATES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => isLegalTransition(from, to)))(
    'moves %s → %s, bumps the version and appends one audit event',
    async (from, to) => {
      const before = await requestIn(from);

      const result = await f.store.repository.transition(before.id, {
        from,
        to,
        expectedVersion: before.version,
        actor: approver,
        slack,
      });

      expect(result.ok).toBe(true);
      const stored = await f.store.repository.get(before.id);
      expect(stored?.state).toBe(to);
      expect(stored?.version).toBe(before.version + 1);
      expect(stored?.lastActor).toEqual(approver);
      const trail = await f.store.repository.auditTrail(before.id);
      expect(trail.at(-1)).toMatchObject({ actor: approver, slack, fromState: from, toState: to });
      expect(trail.filter((e) => e.toState === to && e.fromState === from)).toHaveLength(1);
    },
  );

  it.each(pairs.filter(([from, to]) => !isLegalTransition(from, to)))(
    'refuses %s → %s as illegal and changes nothing',
    async (from, to) => {
      const before = await requestIn(from);
      const trailBefore = await f.store.repository.auditTrail(before.id);

      const result = await f.store.repository.transition(before.id, { from, to, actor: approver, slack });

      expect(result).toEqual({ ok: false, reason: 'illegal_transition', from, to });
      expect(await f.store.repository.get(before.id)).toEqual(before);
      expect(await f.store.repository.auditTrail(before.id)).toEqual(trailBefore);
    },
  );

  it('records the approver as the decider with the time of the decision', async () => {
    const request = await requestIn('REQUESTED');

    const result = await f.store.repository.transition(request.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: approver,
    });

    expect(result.ok && result.request.decidedBy).toEqual(approver);
    expect(result.ok && result.request.decidedAt).toBe(f.clock.now.toISOString());
  });

  it('stores the patch (offer shown, approval message, error) with the transition', async () => {
    const request = await requestIn('ACTIVATING');
    const error = { code: 'marketplace_permission', message: 'The admin role lacks aws-marketplace:Subscribe' };

    const result = await f.store.repository.transition(request.id, {
      from: 'ACTIVATING',
      to: 'FAILED',
      actor: { userId: 'system:worker' },
      patch: { error, offer: { summary: 'Anthropic Claude, pay as you go', offerToken: 'tok-1' } },
    });

    expect(result.ok).toBe(true);
    expect(await f.store.repository.get(request.id)).toMatchObject({
      state: 'FAILED',
      error,
      offer: { summary: 'Anthropic Claude, pay as you go', offerToken: 'tok-1' },
    });
  });

  it('answers "already handled by" with the winner when the state has moved on', async () => {
    const request = await requestIn('REQUESTED');
    await f.store.repository.transition(request.id, { from: 'REQUESTED', to: 'REJECTED', actor: approver });

    const result = await f.store.repository.transition(request.id, {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: { userId: 'U0OTHER001' },
    });

    expect(result).toMatchObject({ ok: false, reason: 'already_handled', by: approver, state: 'REJECTED' });
  });

  it('fails a write carrying a stale version cleanly, without an audit event', async () => {
    const request = await requestIn('APPROVED');
    const trailBefore = await f.store.repository.auditTrail(request.id);

    const result = await f.store.repository.transition(request.id, {
      from: 'APPROVED',
      to: 'ACTIVATING',
      expectedVersion: request.version - 1,
      actor: { userId: 'system:worker' },
    });

    expect(result).toMatchObject({ ok: false, reason: 'stale_version', currentVersion: request.version });
    expect((await f.store.repository.get(request.id))?.state).toBe('APPROVED');
    expect(await f.store.repository.auditTrail(request.id)).toEqual(trailBefore);
  });

  it('answers not_found for an unknown request id', async () => {
    const result = await f.store.repository.transition('no-such-id', {
      from: 'REQUESTED',
      to: 'APPROVED',
      actor: approver,
    });

    expect(result).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lets exactly one of 20 concurrent approvals win; the 19 others learn who approved', async () => {
    const request = await requestIn('REQUESTED');
    const approvers = Array.from({ length: 20 }, (_, i) => ({ userId: `U0APPR${String(i).padStart(4, '0')}` }));

    const results = await Promise.all(
      approvers.map((actor) =>
        f.store.repository.transition(request.id, {
          from: 'REQUESTED',
          to: 'APPROVED',
          expectedVersion: request.version,
          actor,
          slack,
        }),
      ),
    );

    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.ok ? winners[0].event.actor : undefined;
    const losers = results.filter((r) => !r.ok);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser).toMatchObject({ ok: false, reason: 'already_handled', state: 'APPROVED', by: winner });
    }
    const approvals = (await f.store.repository.auditTrail(request.id)).filter((e) => e.action === 'approved');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.actor).toEqual(winner);
    expect((await f.store.repository.get(request.id))?.decidedBy).toEqual(winner);
  });

  it('ends concurrent approve and reject in exactly one decision', async () => {
    const request = await requestIn('REQUESTED');

    const [approve, reject] = await Promise.all([
      f.store.repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: { userId: 'U0APPROVE1' } }),
      f.store.repository.transition(request.id, { from: 'REQUESTED', to: 'REJECTED', actor: { userId: 'U0REJECT01' } }),
    ]);

    expect([approve.ok, reject.ok].filter(Boolean)).toHaveLength(1);
    const decisions = (await f.store.repository.auditTrail(request.id)).filter((e) => e.fromState === 'REQUESTED');
    expect(decisions).toHaveLength(1);
  });
});

describe('openOrJoin', () => {
  it('opens a request with the requester, version 1 and a "requested" audit event', async () => {
    const input = requestInput();

    const { request, joined } = await f.store.repository.openOrJoin(input);

    expect(joined).toBe(false);
    expect(request).toMatchObject({
      state: 'REQUESTED',
      version: 1,
      accountId: input.accountId,
      baseModelId: input.baseModelId,
      requester: { userId: input.requester.userId, channelId: input.requester.channelId },
      joiners: [],
    });
    expect(await f.store.repository.get(request.id)).toEqual(request);
    expect(await f.store.repository.auditTrail(request.id)).toMatchObject([
      { action: 'requested', toState: 'REQUESTED', actor: { userId: input.requester.userId } },
    ]);
  });

  it('joins a second requester to the open request instead of opening another', async () => {
    const first = await f.store.repository.openOrJoin(requestInput({ userId: 'U0FIRST001' }));
    const input = requestInput({ userId: 'U0SECOND01', baseModelId: first.request.baseModelId });

    const second = await f.store.repository.openOrJoin(input);

    expect(second.joined).toBe(true);
    expect(second.request.id).toBe(first.request.id);
    expect(second.request.joiners.map((j) => j.userId)).toEqual(['U0SECOND01']);
    expect(second.request.version).toBe(first.request.version);
  });

  it('does not add the same person twice when they ask again', async () => {
    const first = await f.store.repository.openOrJoin(requestInput({ userId: 'U0AGAIN001' }));

    const again = await f.store.repository.openOrJoin(
      requestInput({ userId: 'U0AGAIN001', baseModelId: first.request.baseModelId }),
    );

    expect(again).toMatchObject({ joined: true, request: { id: first.request.id, joiners: [] } });
  });

  it('keeps one request with all 10 participants when 10 people ask at once', async () => {
    const baseModelId = requestInput().baseModelId;
    const users = Array.from({ length: 10 }, (_, i) => `U0CONC${String(i).padStart(4, '0')}`);

    const results = await Promise.all(
      users.map((userId) => f.store.repository.openOrJoin(requestInput({ userId, baseModelId }))),
    );

    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(results.filter((r) => !r.joined)).toHaveLength(1);
    const id = results[0]?.request.id ?? '';
    const stored = await f.store.repository.get(id);
    const participants = [stored?.requester.userId, ...(stored?.joiners.map((j) => j.userId) ?? [])];
    expect(participants.sort()).toEqual(users);
    expect(await f.store.repository.listByModel('123456789012', 'us-east-1', baseModelId)).toHaveLength(1);
  });

  it('opens a fresh request once the previous one for the model is finished', async () => {
    const first = await f.store.repository.openOrJoin(requestInput());
    await f.store.repository.transition(first.request.id, { from: 'REQUESTED', to: 'REJECTED', actor: approver });

    const next = await f.store.repository.openOrJoin(requestInput({ baseModelId: first.request.baseModelId }));

    expect(next.joined).toBe(false);
    expect(next.request.id).not.toBe(first.request.id);
  });

  it('keeps requests for the same model in different regions apart', async () => {
    const first = await f.store.repository.openOrJoin(requestInput());

    const other = await f.store.repository.openOrJoin({
      ...requestInput({ baseModelId: first.request.baseModelId }),
      region: 'eu-west-1',
    });

    expect(other.joined).toBe(false);
  });

  it('cuts an oversized reason of emoji between characters, never inside one', async () => {
    const reason = `xy${'\u{1F525}'.repeat(20_000)}`;

    const { request } = await f.store.repository.openOrJoin(requestInput({ reason }));

    const stored = (await f.store.repository.get(request.id))?.reason ?? '';
    expect(stored.length).toBeLessThanOrEqual(4000);
    expect(stored).toMatch(/^xy(\u{1F525})+ … \[truncated, \d+ more characters\]$/u);
  });

  it('bounds a 40 KB reason and keeps the item far below the 400 KB limit', async () => {
    const reason = 'x'.repeat(40 * 1024);

    const { request } = await f.store.repository.openOrJoin(requestInput({ reason }));

    const stored = await f.store.repository.get(request.id);
    expect(stored?.reason.length).toBeLessThanOrEqual(4000);
    expect(stored?.reason).toMatch(/\[truncated, \d+ more characters\]$/);
    const item = await rawItem(keys.request(request.id));
    expect(JSON.stringify(item).length).toBeLessThan(20_000);
  });
});

describe('recordProgress', () => {
  it('appends steps in order while ACTIVATING without bumping the version', async () => {
    const request = await requestIn('ACTIVATING');

    await f.store.repository.recordProgress(request.id, request.version, { step: 'list_offers', status: 'done' });
    const result = await f.store.repository.recordProgress(request.id, request.version, {
      step: 'create_agreement',
      status: 'started',
    });

    expect(result.ok).toBe(true);
    const stored = await f.store.repository.get(request.id);
    expect(stored?.progress.map((p) => `${p.step}:${p.status}`)).toEqual([
      'list_offers:done',
      'create_agreement:started',
    ]);
    expect(stored?.version).toBe(request.version);
  });

  it('refuses progress outside ACTIVATING and from a stale worker', async () => {
    const approved = await requestIn('APPROVED');
    const finished = await requestIn('ACTIVE');

    const early = await f.store.repository.recordProgress(approved.id, approved.version, { step: 'x', status: 'done' });
    const late = await f.store.repository.recordProgress(finished.id, finished.version - 1, {
      step: 'x',
      status: 'done',
    });

    expect(early).toMatchObject({ ok: false, reason: 'wrong_state' });
    expect(late).toMatchObject({ ok: false, reason: 'wrong_state' });
    expect((await f.store.repository.get(finished.id))?.progress).toEqual([]);
  });

  it('keeps only the latest 50 steps', async () => {
    const request = await requestIn('ACTIVATING');

    for (let i = 0; i < 55; i++) {
      await f.store.repository.recordProgress(request.id, request.version, { step: `poll_${i}`, status: 'done' });
    }

    const steps = (await f.store.repository.get(request.id))?.progress ?? [];
    expect(steps).toHaveLength(50);
    expect(steps.at(-1)?.step).toBe('poll_54');
  });
});

describe('audit trail', () => {
  it('cannot be overwritten: a second write with an existing id fails and the original stays', async () => {
    const request = await requestIn('APPROVED');
    const original = await f.store.repository.auditTrail(request.id);
    const models = (await import('../../src/store/models.js')).createModels(f.raw, f.table);
    const key = keys.auditForVersion(request.id, request.version);

    const forged = models.Audit.create({
      ...key,
      kind: 'audit',
      id: key.sk.slice(6),
      requestId: request.id,
      at: new Date().toISOString(),
      actor: { userId: 'U0MALLORY1' },
      action: 'approved',
    });

    await expect(forged).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await f.store.repository.auditTrail(request.id)).toEqual(original);
  });

  it('builds audit puts in transactions with an attribute_not_exists condition', async () => {
    const models = (await import('../../src/store/models.js')).createModels(f.raw, f.table);

    const put = (await models.Audit.transaction.create({
      pk: 'REQ#x',
      sk: 'AUDIT#1',
      id: '1',
      requestId: 'x',
      at: 'now',
      actor: { userId: 'U1' },
      action: 'approved',
    })) as { Put: { ConditionExpression?: string } };

    expect(put.Put.ConditionExpression).toMatch(/attribute_not_exists/);
  });

  it('records a note such as a denied attempt between transitions', async () => {
    const request = await requestIn('REQUESTED');

    await f.store.repository.recordAuditNote(request.id, {
      actor: { userId: 'U0INTRUDER' },
      action: 'denied',
      slack,
      note: 'not in the approver group',
    });
    await f.store.repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });

    const actions = (await f.store.repository.auditTrail(request.id)).map((e) => e.action);
    expect(actions).toEqual(['requested', 'denied', 'approved']);
  });
});

describe('stored items', () => {
  it('rejects an item whose attribute has the wrong type with a clear error', async () => {
    const request = await requestIn('REQUESTED');
    await f.raw.updateItem({
      TableName: f.table,
      Key: { pk: { S: `REQ#${request.id}` }, sk: { S: 'REQUEST' } },
      UpdateExpression: 'SET #v = :v',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':v': { S: 'two' } },
    });

    const read = f.store.repository.get(request.id);

    await expect(read).rejects.toBeInstanceOf(InvalidStoredItemError);
    await expect(read).rejects.toThrow(/REQ#.*version/);
  });

  it('rejects an item with an unknown state with a clear error', async () => {
    const request = await requestIn('REQUESTED');
    await f.raw.updateItem({
      TableName: f.table,
      Key: { pk: { S: `REQ#${request.id}` }, sk: { S: 'REQUEST' } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':s': { S: 'PAUSED' } },
    });

    const read = f.store.repository.get(request.id);

    await expect(read).rejects.toBeInstanceOf(InvalidStoredItemError);
    await expect(read).rejects.toThrow(/state: unknown state "PAUSED"/);
  });

  it('sets a TTL on finished requests only, never on audit events', async () => {
    const open = await requestIn('APPROVED');
    const done = await requestIn('REJECTED');

    const openItem = await rawItem(keys.request(open.id));
    const doneItem = await rawItem(keys.request(done.id));
    const audit = await rawItem(keys.auditForVersion(done.id, done.version));

    expect(openItem?.expiresAt).toBeUndefined();
    const expected = Math.floor(f.clock.now.getTime() / 1000) + 90 * 86_400;
    expect(Number(doneItem?.expiresAt?.N)).toBe(expected);
    expect(audit).toBeDefined();
    expect(audit?.expiresAt).toBeUndefined();
  });
});

describe('queries', () => {
  it('lists open requests oldest first, leaving finished ones out', async () => {
    const fresh = await startFixture();
    try {
      const { repository } = fresh.store;
      const a = await repository.openOrJoin(requestInput());
      fresh.clock.now = new Date(fresh.clock.now.getTime() + 1000);
      const b = await repository.openOrJoin(requestInput());
      const c = await repository.openOrJoin(requestInput());
      await repository.transition(c.request.id, {
        from: 'REQUESTED',
        to: 'CANCELLED',
        actor: c.request.lastActor ?? approver,
      });
      await repository.transition(b.request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });

      const open = await repository.listOpen();

      expect(open.map((r) => [r.id, r.state])).toEqual([
        [a.request.id, 'REQUESTED'],
        [b.request.id, 'APPROVED'],
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('lists the requests a user opened or joined, newest first', async () => {
    const user = 'U0LISTME01';
    const own = await f.store.repository.openOrJoin(requestInput({ userId: user }));
    f.clock.now = new Date(f.clock.now.getTime() + 1000);
    const other = await f.store.repository.openOrJoin(requestInput({ userId: 'U0SOMEONE1' }));
    await f.store.repository.openOrJoin(requestInput({ userId: user, baseModelId: other.request.baseModelId }));

    const mine = await f.store.repository.listByRequester(user);

    expect(mine.map((r) => r.id)).toEqual([other.request.id, own.request.id]);
    expect(await f.store.repository.listByRequester('U0NOBODY01')).toEqual([]);
  });

  it("lists a model's history in an account and region, newest first", async () => {
    const first = await requestIn('REJECTED');
    f.clock.now = new Date(f.clock.now.getTime() + 1000);
    const second = await f.store.repository.openOrJoin(requestInput({ baseModelId: first.baseModelId }));

    const history = await f.store.repository.listByModel(first.accountId, first.region, first.baseModelId);

    expect(history.map((r) => [r.id, r.state])).toEqual([
      [second.request.id, 'REQUESTED'],
      [first.id, 'REJECTED'],
    ]);
  });

  it('gets a request by id, and undefined for an unknown id', async () => {
    const request = await requestIn('ACTIVATING');

    expect(await f.store.repository.get(request.id)).toEqual(request);
    expect(await f.store.repository.get('missing')).toBeUndefined();
  });

  it('remembers the approval message', async () => {
    const request = await requestIn('REQUESTED');

    const updated = await f.store.repository.setApprovalMessage(request.id, { channelId: 'C0APPROVERS', ts: '1.2' });

    expect(updated?.approvalMessage).toEqual({ channelId: 'C0APPROVERS', ts: '1.2' });
    expect(await f.store.repository.setApprovalMessage('missing', { channelId: 'C0APPROVERS', ts: '1.2' })).toBe(
      undefined,
    );
  });
});

describe('claimDelivery', () => {
  it('grants exactly one of 20 concurrent claims of the same delivery', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => f.store.repository.claimDelivery('Ev0CONCURRENT')),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('stores the claim with a TTL and grants it again once expired', async () => {
    expect(await f.store.repository.claimDelivery('Ev0EXPIRING')).toBe(true);
    const item = await rawItem(keys.delivery('Ev0EXPIRING'));
    expect(Number(item?.expiresAt?.N)).toBe(Math.floor(f.clock.now.getTime() / 1000) + 24 * 3600);
    expect(await f.store.repository.claimDelivery('Ev0EXPIRING')).toBe(false);

    f.clock.now = new Date(f.clock.now.getTime() + 25 * 3600 * 1000);

    expect(await f.store.repository.claimDelivery('Ev0EXPIRING')).toBe(true);
  });

  it('accepts delivery keys of any length', async () => {
    const long = `retry:${'k'.repeat(5000)}`;

    expect(await f.store.repository.claimDelivery(long)).toBe(true);
    expect(await f.store.repository.claimDelivery(long)).toBe(false);
  });
});

describe('finishing a request', () => {
  it('returns every participant with the final state, including one who joined during activation', async () => {
    const { request } = await f.store.repository.openOrJoin(requestInput({ userId: 'U0OWNER001' }));
    await f.store.repository.transition(request.id, { from: 'REQUESTED', to: 'APPROVED', actor: approver });
    await f.store.repository.transition(request.id, {
      from: 'APPROVED',
      to: 'ACTIVATING',
      actor: { userId: 'system:worker' },
    });
    await f.store.repository.openOrJoin(requestInput({ userId: 'U0LATE0001', baseModelId: request.baseModelId }));

    const done = await f.store.repository.transition(request.id, {
      from: 'ACTIVATING',
      to: 'ACTIVE',
      actor: { userId: 'system:worker' },
    });

    expect(done.ok && done.request.joiners.map((j) => j.userId)).toEqual(['U0LATE0001']);
    expect(done.ok && done.request.finishedAt).toBe(f.clock.now.toISOString());
  });
});
