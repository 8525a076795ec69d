// Joining an open request: the joiner is added only while the request is open and does not list them yet, with
// their "joined" audit event and the pointer that lists the request under them, in one transaction.
import dynamoose from 'dynamoose';
import {
  type ActivationRequest,
  type AuditEvent,
  OPEN_STATES,
  type OpenOrJoinInput,
} from '../../access/request-repository.js';
import { bound, LIMITS } from '../records.js';
import { index, keys } from '../table-design.js';
import { auditIdOf, auditItem, auditNoteKey } from './audit.js';
import { boundParticipant, optionalSlack } from './bounded-inputs.js';
import { isCancelled, type PlainItem, type StoreContext } from './context.js';

/** The pointer that lists a request under a user (GSI 1), kept for the request's participants. */
export function participantItem(requestId: string, userId: string, createdAt: string): PlainItem {
  return {
    ...keys.participant(requestId, userId),
    kind: 'participant',
    gsi1pk: index.userPk(userId),
    gsi1sk: index.sortByCreation(createdAt, requestId),
    requestId,
    userId,
  };
}

/** Adds the requester to an open request; returns undefined when the request changed under us (caller retries). */
export async function joinOpenRequest(
  ctx: StoreContext,
  existing: ActivationRequest,
  input: OpenOrJoinInput,
): Promise<ActivationRequest | undefined> {
  const { Request, Audit, Participant } = ctx.models;
  const userId = input.requester.userId;
  if (existing.requester.userId === userId || existing.joiners.some((j) => j.userId === userId)) return existing;
  if (existing.joiners.length >= LIMITS.joiners) {
    ctx.log.warn('request has the maximum number of joiners; not recording another', { requestId: existing.id });
    return existing;
  }
  const now = ctx.clock().toISOString();
  const joiner = boundParticipant(input.requester, now);
  const condition = new dynamoose.Condition()
    .where('state')
    .in([...OPEN_STATES])
    .and()
    .where('participantIds')
    .not()
    .contains(joiner.userId);
  const key = auditNoteKey(existing.id, existing.version, now);
  const event: AuditEvent = {
    id: auditIdOf(key),
    requestId: existing.id,
    at: now,
    actor: { userId: joiner.userId, ...(joiner.teamId ? { teamId: joiner.teamId } : {}) },
    action: 'joined',
    ...optionalSlack({ teamId: input.requester.teamId, channelId: input.requester.channelId }),
    note: bound(input.reason, LIMITS.text),
  };
  try {
    await ctx.transact([
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
    const latest = await ctx.getRequest(existing.id);
    if (latest?.joiners.some((j) => j.userId === userId)) return latest; // a duplicate delivery joined already
    return undefined;
  }
  return (await ctx.getRequest(existing.id)) ?? existing;
}
