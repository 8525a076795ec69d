// State changes: one TransactWriteItems of the conditional update on (state, version), the audit event, and —
// when the request finishes — the release of its open slot.
import dynamoose from 'dynamoose';
import {
  type ActivationRequest,
  type AuditEvent,
  FINISHED_STATES,
  isLegalTransition,
  type RequestRepository,
  type RequestState,
  type TransitionInput,
  type TransitionResult,
} from '../../access/request-repository.js';
import { bound, boundOptional, LIMITS } from '../records.js';
import { keys } from '../table-design.js';
import { auditIdOf, auditItem, STATE_ACTIONS } from './audit.js';
import { boundActor, optionalSlack } from './bounded-inputs.js';
import { isCancelled, type PlainItem, type StoreContext, type TransactItem } from './context.js';

/** States that record who decided and when. */
const DECISIONS: readonly RequestState[] = ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'];

export function createTransitions(ctx: StoreContext): Pick<RequestRepository, 'transition'> {
  const { Request, Audit, OpenSlot } = ctx.models;

  async function transition(id: string, input: TransitionInput): Promise<TransitionResult> {
    const { from, to } = input;
    if (!isLegalTransition(from, to)) return { ok: false, reason: 'illegal_transition', from, to };
    const current = await ctx.getRequest(id);
    const early = checkCurrent(current, input);
    if (early || !current) return early ?? { ok: false, reason: 'not_found' };

    const now = ctx.clock().toISOString();
    const version = current.version + 1;
    const actor = boundActor(input.actor);
    const finished = FINISHED_STATES.includes(to);
    const set: PlainItem = { state: to, version, lastActor: actor, updatedAt: now, ...boundPatch(input.patch) };
    if (DECISIONS.includes(to)) Object.assign(set, { decidedBy: actor, decidedAt: now });
    if (finished) Object.assign(set, { finishedAt: now, expiresAt: ctx.expiry(ctx.options.requestTtlDays * 86_400) });
    const key = keys.auditForVersion(id, version);
    const event: AuditEvent = {
      id: auditIdOf(key),
      requestId: id,
      at: now,
      actor,
      action: STATE_ACTIONS[to],
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
      await ctx.transact(items);
    } catch (err) {
      if (!isCancelled(err)) throw err;
      const after = await ctx.getRequest(id);
      const lost = checkCurrent(after, { ...input, expectedVersion: current.version });
      ctx.log.info('transition lost a race', {
        requestId: id,
        from,
        to,
        result: lost && !lost.ok ? lost.reason : 'retry',
      });
      if (lost) return lost;
      return { ok: false, reason: 'stale_version', currentVersion: after?.version ?? 0, request: after ?? current };
    }
    const { expiresAt: _ttl, ...visible } = set;
    const merged = { ...current, ...visible } as ActivationRequest;
    // After a final state nobody can join any more: read back so the caller notifies every last joiner.
    const request = finished ? ((await ctx.getRequest(id)) ?? merged) : merged;
    return { ok: true, request, event };
  }

  return { transition };
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
