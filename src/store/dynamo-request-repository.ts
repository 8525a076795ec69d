// The request repository over DynamoDB with dynamoose. Every state change is one TransactWriteItems:
// conditional update of the request on (state, version) + append-only audit event (+ open-slot release).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import dynamoose from 'dynamoose';
import type { AnyItem } from 'dynamoose/dist/Item.js';
import {
  type ActivationRequest,
  type ActivationStep,
  type Actor,
  type AuditEvent,
  FINISHED_STATES,
  InvalidStoredItemError,
  isLegalTransition,
  isOpenState,
  OPEN_STATES,
  type OpenOrJoinInput,
  type Participant,
  type ProgressResult,
  type RequestRepository,
  type RequestState,
  type SlackContext,
  type TransitionInput,
  type TransitionResult,
} from '../access/request-repository.js';
import type { Logger } from '../log.js';
import type { StoreModels } from './models.js';
import { auditEventFromItem, bound, boundOptional, LIMITS, requestFromItem } from './records.js';
import { GSI_MODEL, GSI_OPEN_AND_USER, index, keys } from './table-design.js';

export interface RepositoryOptions {
  requestTtlDays: number;
  idempotencyTtlHours: number;
  logger: Logger;
  /** Injectable clock (tests). */
  now?: () => Date;
}

const MAX_OPEN_ATTEMPTS = 40;
const DECISIONS: readonly RequestState[] = ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'];

const ACTIONS: Record<RequestState, string> = {
  REQUESTED: 'requested',
  APPROVED: 'approved',
  ACTIVATING: 'activation_started',
  ACTIVE: 'activated',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};

type TransactItem = Promise<unknown>;
type PlainItem = Record<string, unknown>;

export function createDynamoRequestRepository(models: StoreModels, options: RepositoryOptions): RequestRepository {
  const { Request, Audit, Participant, OpenSlot, Delivery } = models;
  const clock = options.now ?? (() => new Date());
  const log = options.logger;
  const ddb = () => models.instance.aws.ddb();

  /** dynamoose builds the actions (validation, key mapping, conditions); they go out on this store's client. */
  async function transact(items: TransactItem[]): Promise<void> {
    const TransactItems = (await Promise.all(items)) as Parameters<
      ReturnType<typeof ddb>['transactWriteItems']
    >[0]['TransactItems'];
    await ddb().transactWriteItems({ TransactItems });
  }

  async function getRequest(id: string): Promise<ActivationRequest | undefined> {
    const key = keys.request(id);
    const item = await readStored(key, () => Request.get(key, { consistent: true }));
    return item ? requestFromItem(item.toJSON()) : undefined;
  }

  /** Every page of a dynamoose query, as plain objects. */
  async function queryAll(query: { all(): { exec(): Promise<AnyItem[]> } }, what: string): Promise<PlainItem[]> {
    const items = await readStored(what, () => query.all().exec());
    return items.map((item) => item.toJSON());
  }

  async function batchGetRequests(ids: string[]): Promise<ActivationRequest[]> {
    const found: ActivationRequest[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let pending: PlainItem[] = ids.slice(i, i + 100).map((id) => keys.request(id));
      for (let round = 0; pending.length > 0; round++) {
        // Unprocessed keys mean throttling: back off, and give up rather than loop forever.
        if (round >= 8) throw new Error('DynamoDB kept returning unprocessed keys for a batch read; try again later');
        if (round > 0) await pause(round * 5);
        const batch = pending;
        const out = await readStored('a batch of requests', () => Request.batchGet(batch as never));
        found.push(...out.map((item) => requestFromItem(item.toJSON())));
        pending = (out.unprocessedKeys ?? []) as PlainItem[];
      }
    }
    return found;
  }

  function boundParticipant(p: OpenOrJoinInput['requester'], at: string): Participant {
    return {
      userId: bound(p.userId, LIMITS.id),
      ...(p.teamId ? { teamId: bound(p.teamId, LIMITS.id) } : {}),
      ...(p.channelId ? { channelId: bound(p.channelId, LIMITS.id) } : {}),
      at,
    };
  }

  function boundActor(a: Actor): Actor {
    return { userId: bound(a.userId, LIMITS.id), ...(a.teamId ? { teamId: bound(a.teamId, LIMITS.id) } : {}) };
  }

  function boundSlack(s: SlackContext | undefined): SlackContext | undefined {
    if (!s?.teamId && !s?.channelId) return undefined;
    return {
      ...(s.teamId ? { teamId: bound(s.teamId, LIMITS.id) } : {}),
      ...(s.channelId ? { channelId: bound(s.channelId, LIMITS.id) } : {}),
    };
  }

  function optionalSlack(s: SlackContext | undefined): { slack?: SlackContext } {
    const slack = boundSlack(s);
    return slack ? { slack } : {};
  }

  function auditItem(event: AuditEvent, key: { pk: string; sk: string }): PlainItem {
    return { ...key, kind: 'audit', ...event };
  }

  function participantItem(requestId: string, userId: string, createdAt: string): PlainItem {
    return {
      ...keys.participant(requestId, userId),
      kind: 'participant',
      gsi1pk: index.userPk(userId),
      gsi1sk: index.sortByCreation(createdAt, requestId),
      requestId,
      userId,
    };
  }

  function expiry(seconds: number): number {
    return Math.floor(clock().getTime() / 1000) + seconds;
  }

  async function openOrJoin(input: OpenOrJoinInput): Promise<{ request: ActivationRequest; joined: boolean }> {
    const accountId = bound(input.accountId, LIMITS.id);
    const region = bound(input.region, LIMITS.id);
    const baseModelId = bound(input.baseModelId, LIMITS.id);
    const slot = keys.openSlot(accountId, region, baseModelId);
    for (let attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++) {
      const now = clock().toISOString();
      const id = randomUUID();
      const requester = boundParticipant(input.requester, now);
      const request: ActivationRequest = {
        id,
        accountId,
        region,
        modelRef: bound(input.modelRef, LIMITS.id),
        baseModelId,
        provider: bound(input.provider, LIMITS.id),
        requester,
        joiners: [],
        reason: bound(input.reason, LIMITS.reason),
        ...(input.offer ? { offer: boundPatch({ offer: input.offer }).offer as ActivationRequest['offer'] } : {}),
        state: 'REQUESTED',
        version: 1,
        lastActor: { userId: requester.userId, ...(requester.teamId ? { teamId: requester.teamId } : {}) },
        progress: [],
        createdAt: now,
        updatedAt: now,
      };
      const event: AuditEvent = {
        id: keys.auditForVersion(id, 1).sk.slice('AUDIT#'.length),
        requestId: id,
        at: now,
        actor: request.lastActor as Actor,
        action: ACTIONS.REQUESTED,
        ...optionalSlack({ teamId: input.requester.teamId, channelId: input.requester.channelId }),
        toState: 'REQUESTED',
      };
      try {
        // Request before slot: dynalite applies in order, so whoever sees the slot also finds the request.
        await transact([
          Request.transaction.create({
            ...keys.request(id),
            kind: 'request',
            gsi1pk: index.openPk,
            gsi1sk: index.sortByCreation(now, id),
            gsi2pk: index.modelPk(accountId, region, baseModelId),
            gsi2sk: index.sortByCreation(now, id),
            participantIds: [requester.userId],
            ...request,
          }),
          OpenSlot.transaction.create({ ...slot, kind: 'slot', requestId: id }),
          Participant.transaction.create(participantItem(id, requester.userId, now)),
          Audit.transaction.create(auditItem(event, keys.auditForVersion(id, 1))),
        ]);
        return { request, joined: false };
      } catch (err) {
        if (!isCancelled(err)) throw err;
      }
      // The slot is taken: join the request holding it.
      const holder = await OpenSlot.get(slot, { consistent: true });
      if (!holder) continue; // released in between: try to open again
      const existing = await getRequest(String(holder.requestId));
      if (!existing) {
        await pause(attempt);
        continue;
      }
      if (!isOpenState(existing.state)) {
        // A slot left behind by a finished request (should not happen: release is transactional) is freed.
        await OpenSlot.delete(slot, {
          condition: new dynamoose.Condition('requestId').eq(existing.id),
        }).catch((e: unknown) => {
          if (!isConditionalFailure(e)) throw e;
        });
        continue;
      }
      const joined = await join(existing, input);
      if (joined) return { request: joined, joined: true };
      await pause(attempt);
    }
    throw new Error(`Could not open or join a request for ${baseModelId} after ${MAX_OPEN_ATTEMPTS} attempts`);
  }

  /** Adds the requester to an open request; returns undefined when the request changed under us (caller retries). */
  async function join(existing: ActivationRequest, input: OpenOrJoinInput): Promise<ActivationRequest | undefined> {
    const userId = input.requester.userId;
    if (existing.requester.userId === userId || existing.joiners.some((j) => j.userId === userId)) return existing;
    if (existing.joiners.length >= LIMITS.joiners) {
      log.warn('request has the maximum number of joiners; not recording another', { requestId: existing.id });
      return existing;
    }
    const now = clock().toISOString();
    const joiner = boundParticipant(input.requester, now);
    const condition = new dynamoose.Condition()
      .where('state')
      .in([...OPEN_STATES])
      .and()
      .where('participantIds')
      .not()
      .contains(joiner.userId);
    const event: AuditEvent = {
      id: '',
      requestId: existing.id,
      at: now,
      actor: { userId: joiner.userId, ...(joiner.teamId ? { teamId: joiner.teamId } : {}) },
      action: 'joined',
      ...optionalSlack({ teamId: input.requester.teamId, channelId: input.requester.channelId }),
      note: bound(input.reason, LIMITS.text),
    };
    const key = keys.auditNote(existing.id, existing.version, now, randomBytes(4).toString('hex'));
    event.id = key.sk.slice('AUDIT#'.length);
    try {
      await transact([
        Request.transaction.update(
          keys.request(existing.id),
          { $SET: { updatedAt: now }, $ADD: { joiners: [joiner], participantIds: [joiner.userId] } },
          { condition },
        ),
        Participant.transaction.create(participantItem(existing.id, joiner.userId, existing.createdAt)),
        Audit.transaction.create(auditItem(event, key)),
      ]);
    } catch (err) {
      if (!isCancelled(err)) throw err;
      const now2 = await getRequest(existing.id);
      if (now2?.joiners.some((j) => j.userId === userId)) return now2; // a duplicate delivery joined already
      return undefined;
    }
    return (await getRequest(existing.id)) ?? existing;
  }

  async function transition(id: string, input: TransitionInput): Promise<TransitionResult> {
    const { from, to } = input;
    if (!isLegalTransition(from, to)) return { ok: false, reason: 'illegal_transition', from, to };
    const current = await getRequest(id);
    const early = checkCurrent(current, input);
    if (early || !current) return early ?? { ok: false, reason: 'not_found' };

    const now = clock().toISOString();
    const version = current.version + 1;
    const actor = boundActor(input.actor);
    const finished = FINISHED_STATES.includes(to);
    const patch = boundPatch(input.patch);
    const set: PlainItem = { state: to, version, lastActor: actor, updatedAt: now, ...patch };
    if (DECISIONS.includes(to)) Object.assign(set, { decidedBy: actor, decidedAt: now });
    if (finished) Object.assign(set, { finishedAt: now, expiresAt: expiry(options.requestTtlDays * 86_400) });
    const key = keys.auditForVersion(id, version);
    const event: AuditEvent = {
      id: key.sk.slice('AUDIT#'.length),
      requestId: id,
      at: now,
      actor,
      action: ACTIONS[to],
      ...optionalSlack(input.slack),
      fromState: from,
      toState: to,
      ...(input.note ? { note: bound(input.note, LIMITS.text) } : {}),
    };
    const items: TransactItem[] = [
      Request.transaction.update(
        keys.request(id),
        { $SET: set, ...(finished ? { $REMOVE: ['gsi1pk', 'gsi1sk'] } : {}) },
        { condition: new dynamoose.Condition('state').eq(from).and().where('version').eq(current.version) },
      ),
      Audit.transaction.create(auditItem(event, key)),
    ];
    if (finished) {
      items.push(
        OpenSlot.transaction.delete(keys.openSlot(current.accountId, current.region, current.baseModelId), {
          condition: new dynamoose.Condition('requestId').not().exists().or().where('requestId').eq(id),
        }),
      );
    }
    try {
      await transact(items);
    } catch (err) {
      if (!isCancelled(err)) throw err;
      const after = await getRequest(id);
      const lost = checkCurrent(after, { ...input, expectedVersion: current.version });
      log.info('transition lost a race', { requestId: id, from, to, result: lost && !lost.ok ? lost.reason : 'retry' });
      if (lost) return lost;
      return { ok: false, reason: 'stale_version', currentVersion: after?.version ?? 0, request: after ?? current };
    }
    const { expiresAt: _ttl, ...visible } = set;
    const merged = { ...current, ...visible } as ActivationRequest;
    // After a final state nobody can join any more: read back so the caller notifies every last joiner.
    const request = finished ? ((await getRequest(id)) ?? merged) : merged;
    return { ok: true, request, event };
  }

  async function recordProgress(
    id: string,
    expectedVersion: number,
    step: Omit<ActivationStep, 'at'>,
  ): Promise<ProgressResult> {
    const current = await getRequest(id);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.state !== 'ACTIVATING') return { ok: false, reason: 'wrong_state', request: current };
    if (current.version !== expectedVersion) return { ok: false, reason: 'stale_version', request: current };
    const now = clock().toISOString();
    const entry: ActivationStep = {
      step: bound(step.step, LIMITS.id),
      status: step.status,
      at: now,
      ...(step.detail ? { detail: bound(step.detail, LIMITS.text) } : {}),
    };
    // Appending is atomic; only at the cap is the list rewritten (oldest steps dropped).
    const full = current.progress.length >= LIMITS.progressSteps;
    const progress = [...current.progress.slice(-(LIMITS.progressSteps - 1)), entry];
    try {
      await Request.update(
        keys.request(id),
        full ? { $SET: { progress, updatedAt: now } } : { $SET: { updatedAt: now }, $ADD: { progress: [entry] } },
        {
          condition: new dynamoose.Condition('state').eq('ACTIVATING').and().where('version').eq(expectedVersion),
        },
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const after = await getRequest(id);
      if (!after) return { ok: false, reason: 'not_found' };
      return { ok: false, reason: after.state === 'ACTIVATING' ? 'stale_version' : 'wrong_state', request: after };
    }
    return { ok: true, request: (await getRequest(id)) ?? { ...current, progress, updatedAt: now } };
  }

  async function setApprovalMessage(id: string, message: { channelId: string; ts: string }) {
    try {
      await Request.update(
        keys.request(id),
        {
          $SET: {
            approvalMessage: { channelId: bound(message.channelId, LIMITS.id), ts: bound(message.ts, LIMITS.id) },
            updatedAt: clock().toISOString(),
          },
        },
        { condition: new dynamoose.Condition('pk').exists() },
      );
    } catch (err) {
      if (isConditionalFailure(err)) return undefined;
      throw err;
    }
    return getRequest(id);
  }

  async function recordAuditNote(
    id: string,
    entry: { actor: Actor; action: string; slack?: SlackContext; note?: string },
  ): Promise<AuditEvent | undefined> {
    const current = await getRequest(id);
    if (!current) return undefined;
    const now = clock().toISOString();
    const key = keys.auditNote(id, current.version, now, randomBytes(4).toString('hex'));
    const event: AuditEvent = {
      id: key.sk.slice('AUDIT#'.length),
      requestId: id,
      at: now,
      actor: boundActor(entry.actor),
      action: bound(entry.action, LIMITS.id),
      ...optionalSlack(entry.slack),
      ...(entry.note ? { note: bound(entry.note, LIMITS.text) } : {}),
    };
    await Audit.create(auditItem(event, key));
    return event;
  }

  async function listOpen(): Promise<ActivationRequest[]> {
    const items = await queryAll(Request.query('gsi1pk').eq(index.openPk).using(GSI_OPEN_AND_USER), 'open requests');
    return items.map(requestFromItem);
  }

  async function listByRequester(userId: string): Promise<ActivationRequest[]> {
    const pointers = await queryAll(
      Participant.query('gsi1pk').eq(index.userPk(userId)).using(GSI_OPEN_AND_USER).sort('descending'),
      `requests of ${userId}`,
    );
    const found = await batchGetRequests(pointers.map((p) => String(p.requestId)));
    // Requests removed by TTL leave their pointer behind; they are simply absent here.
    return found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  async function listByModel(accountId: string, region: string, baseModelId: string) {
    const items = await queryAll(
      Request.query('gsi2pk')
        .eq(index.modelPk(accountId, region, baseModelId))
        .using(GSI_MODEL)
        .sort('descending'),
      `history of ${baseModelId}`,
    );
    return items.map(requestFromItem);
  }

  async function auditTrail(requestId: string): Promise<AuditEvent[]> {
    const items = await queryAll(
      Audit.query('pk').eq(keys.request(requestId).pk).where('sk').beginsWith('AUDIT#').consistent(),
      `audit trail of ${requestId}`,
    );
    return items.map(auditEventFromItem);
  }

  async function claimDelivery(key: string, ttlSeconds = options.idempotencyTtlHours * 3600): Promise<boolean> {
    const nowSeconds = Math.floor(clock().getTime() / 1000);
    // Long keys are hashed so any delivery id fits a partition key.
    const safeKey = key.length > 200 ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
    try {
      await Delivery.create(
        { ...keys.delivery(safeKey), kind: 'delivery', at: clock().toISOString(), expiresAt: nowSeconds + ttlSeconds },
        {
          overwrite: true,
          // An expired record counts as absent: DynamoDB's TTL deletion can lag by days.
          condition: new dynamoose.Condition('pk').not().exists().or().where('expiresAt').lt(nowSeconds),
        },
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }

  return {
    openOrJoin,
    transition,
    recordProgress,
    setApprovalMessage,
    recordAuditNote,
    get: getRequest,
    listOpen,
    listByRequester,
    listByModel,
    auditTrail,
    claimDelivery,
  };
}

/** Why a transition cannot go ahead given the request as it is now; undefined when it can. */
function checkCurrent(current: ActivationRequest | undefined, input: TransitionInput): TransitionResult | undefined {
  if (!current) return { ok: false, reason: 'not_found' };
  if (current.state !== input.from) {
    return {
      ok: false,
      reason: 'already_handled',
      ...(current.lastActor ? { by: current.lastActor } : {}),
      state: current.state,
      at: current.updatedAt,
      request: current,
    };
  }
  if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) {
    return { ok: false, reason: 'stale_version', currentVersion: current.version, request: current };
  }
  return undefined;
}

function boundPatch(patch: TransitionInput['patch']): PlainItem {
  if (!patch) return {};
  const out: PlainItem = {};
  if (patch.approvalMessage) {
    out.approvalMessage = {
      channelId: bound(patch.approvalMessage.channelId, LIMITS.id),
      ts: bound(patch.approvalMessage.ts, LIMITS.id),
    };
  }
  if (patch.offer) {
    out.offer = {
      summary: bound(patch.offer.summary, LIMITS.text),
      ...(patch.offer.offerToken ? { offerToken: bound(patch.offer.offerToken, LIMITS.text) } : {}),
      ...(patch.offer.termsUrl ? { termsUrl: boundOptional(patch.offer.termsUrl, LIMITS.text) } : {}),
    };
  }
  if (patch.error) {
    out.error = { code: bound(patch.error.code, LIMITS.id), message: bound(patch.error.message, LIMITS.text) };
  }
  return out;
}

/**
 * Runs a dynamoose read. dynamoose checks stored attribute types against the model; a mismatch is a stored item
 * this code must not act on, reported like any other invalid item (zod checks the rest).
 */
async function readStored<T>(what: string | { pk: string; sk: string }, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (errorName(err) !== 'TypeMismatch') throw err;
    const key = typeof what === 'string' ? what : `${what.pk}/${what.sk}`;
    throw new InvalidStoredItemError(key, [err instanceof Error ? err.message : String(err)]);
  }
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

function isCancelled(err: unknown): boolean {
  return errorName(err) === 'TransactionCanceledException';
}

function isConditionalFailure(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/** Short, growing, jittered wait between optimistic retries. */
function pause(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt * 3)));
}
