// Writes that change a request without changing its state: activation progress and where its approval card is.
// Neither bumps the version, so an approver's or the reconciler's view never goes stale because of them.
import dynamoose from 'dynamoose';
import type { ActivationStep, ProgressResult, RequestRepository } from '../../access/request-repository.js';
import { bound, LIMITS } from '../records.js';
import { keys } from '../table-design.js';
import { isConditionalFailure, type StoreContext } from './context.js';

export function createRequestUpdates(
  ctx: StoreContext,
): Pick<RequestRepository, 'recordProgress' | 'setApprovalMessage'> {
  const { Request } = ctx.models;

  async function recordProgress(
    id: string,
    expectedVersion: number,
    step: Omit<ActivationStep, 'at'>,
  ): Promise<ProgressResult> {
    const current = await ctx.getRequest(id);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.state !== 'ACTIVATING') return { ok: false, reason: 'wrong_state', request: current };
    if (current.version !== expectedVersion) return { ok: false, reason: 'stale_version', request: current };
    const now = ctx.clock().toISOString();
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
      const after = await ctx.getRequest(id);
      if (!after) return { ok: false, reason: 'not_found' };
      return { ok: false, reason: after.state === 'ACTIVATING' ? 'stale_version' : 'wrong_state', request: after };
    }
    return { ok: true, request: (await ctx.getRequest(id)) ?? { ...current, progress, updatedAt: now } };
  }

  async function setApprovalMessage(id: string, message: { channelId: string; ts: string }) {
    try {
      await Request.update(
        keys.request(id),
        {
          $SET: {
            approvalMessage: { channelId: bound(message.channelId, LIMITS.id), ts: bound(message.ts, LIMITS.id) },
            updatedAt: ctx.clock().toISOString(),
          },
        },
        { condition: new dynamoose.Condition('pk').exists() },
      );
    } catch (err) {
      if (isConditionalFailure(err)) return undefined;
      throw err;
    }
    return ctx.getRequest(id);
  }

  return { recordProgress, setApprovalMessage };
}
