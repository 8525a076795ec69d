// Opening a request, or joining the open one: one open slot per (account, region, base model) makes the
// "never two open requests for the same model" rule a conditional create instead of a read-then-write race.
import { randomUUID } from 'node:crypto';
import dynamoose from 'dynamoose';
import {
  type ActivationRequest,
  type Actor,
  type AuditEvent,
  isOpenState,
  type OpenOrJoinInput,
  type RequestRepository,
} from '../../access/request-repository.js';
import { bound, LIMITS } from '../records.js';
import { index, keys } from '../table-design.js';
import { auditIdOf, auditItem, STATE_ACTIONS } from './audit.js';
import { boundOffer, boundParticipant, optionalSlack } from './bounded-inputs.js';
import { isCancelled, isConditionalFailure, pause, type StoreContext } from './context.js';
import { joinOpenRequest, participantItem } from './join.js';

const MAX_OPEN_ATTEMPTS = 40;

export function createOpenOrJoin(ctx: StoreContext): Pick<RequestRepository, 'openOrJoin'> {
  const { Request, Audit, Participant, OpenSlot } = ctx.models;

  /** One attempt to open: false when the slot is already taken. */
  async function tryOpen(request: ActivationRequest, slot: { pk: string; sk: string }): Promise<boolean> {
    const { id, createdAt: now, accountId, region, baseModelId } = request;
    const key = keys.auditForVersion(id, 1);
    const event: AuditEvent = {
      id: auditIdOf(key),
      requestId: id,
      at: now,
      actor: request.lastActor as Actor,
      action: STATE_ACTIONS.REQUESTED,
      ...optionalSlack({ teamId: request.requester.teamId, channelId: request.requester.channelId }),
      toState: 'REQUESTED',
    };
    try {
      // Request before slot: dynalite applies in order, so whoever sees the slot also finds the request.
      await ctx.transact([
        Request.transaction.create({
          ...keys.request(id),
          kind: 'request',
          gsi1pk: index.openPk,
          gsi1sk: index.sortByCreation(now, id),
          gsi2pk: index.modelPk(accountId, region, baseModelId),
          gsi2sk: index.sortByCreation(now, id),
          participantIds: [request.requester.userId],
          ...request,
        }),
        OpenSlot.transaction.create({ ...slot, kind: 'slot', requestId: id }),
        Participant.transaction.create(participantItem(id, request.requester.userId, now)),
        Audit.transaction.create(auditItem(event, key)),
      ]);
      return true;
    } catch (err) {
      if (!isCancelled(err)) throw err;
      return false;
    }
  }

  async function openOrJoin(input: OpenOrJoinInput): Promise<{ request: ActivationRequest; joined: boolean }> {
    const accountId = bound(input.accountId, LIMITS.id);
    const region = bound(input.region, LIMITS.id);
    const baseModelId = bound(input.baseModelId, LIMITS.id);
    const slot = keys.openSlot(accountId, region, baseModelId);
    for (let attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++) {
      const now = ctx.clock().toISOString();
      const requester = boundParticipant(input.requester, now);
      const request: ActivationRequest = {
        id: randomUUID(),
        accountId,
        region,
        modelRef: bound(input.modelRef, LIMITS.id),
        baseModelId,
        provider: bound(input.provider, LIMITS.id),
        requester,
        joiners: [],
        reason: bound(input.reason, LIMITS.reason),
        ...(input.offer ? { offer: boundOffer(input.offer) } : {}),
        state: 'REQUESTED',
        version: 1,
        lastActor: { userId: requester.userId, ...(requester.teamId ? { teamId: requester.teamId } : {}) },
        progress: [],
        createdAt: now,
        updatedAt: now,
      };
      if (await tryOpen(request, slot)) return { request, joined: false };
      // The slot is taken: join the request holding it.
      const holder = await OpenSlot.get(slot, { consistent: true });
      if (!holder) continue; // released in between: try to open again
      const existing = await ctx.getRequest(String(holder.requestId));
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
      const joined = await joinOpenRequest(ctx, existing, input);
      if (joined) return { request: joined, joined: true };
      await pause(attempt);
    }
    throw new Error(`Could not open or join a request for ${baseModelId} after ${MAX_OPEN_ATTEMPTS} attempts`);
  }

  return { openOrJoin };
}
