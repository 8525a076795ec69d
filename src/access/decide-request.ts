// Approve, reject and cancel: each is one conditional transition on the stored request, so double clicks, two
// approvers at once and Slack retries give one decision. Refused attempts are audited and change nothing else.

import type { ApprovalSettings } from '../config.js';
import { findAccount } from '../config.js';
import { redactSecrets } from '../redact.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import type { EnqueueActivation, RequestNotifier, SlackActor } from './approval-ports.js';
import type { ApproverCheckDeps } from './approvers.js';
import { approverRefusal, installationRefusal } from './approvers.js';
import { findBlock } from './blocked-models.js';
import { describeExpiry, expireRequest, isOverdue } from './request-expiry.js';
import type { ActivationRequest, Actor, RequestRepository, TransitionResult } from './request-repository.js';

export type Decision = 'approve' | 'reject' | 'cancel';

export interface DecideInput {
  requestId: string;
  decision: Decision;
  actor: SlackActor;
  /** Where the click came from (audit). */
  channelId?: string;
  /** Reject: the one required reason. */
  reason?: string;
}

export type DecideOutcome =
  | { kind: 'decided'; request: ActivationRequest }
  /** The clicker may not do this; the attempt is audited. `message` is for them only. */
  | { kind: 'refused'; message: string }
  /** Someone else decided first (or the request moved on); `message` says who and when. */
  | { kind: 'already_handled'; message: string; request: ActivationRequest }
  | { kind: 'not_found'; message: string }
  /** It waited longer than REQUEST_EXPIRE_AFTER_HOURS: expired now instead of decided; `message` says so. */
  | { kind: 'expired'; message: string; request: ActivationRequest };

export interface DecideDeps extends ApproverCheckDeps {
  config: { approval: Pick<ApprovalSettings, 'blockedModels' | 'expireAfterMs'> };
  accounts: AccountDirectory;
  repository: RequestRepository;
  notifier: RequestNotifier;
  enqueueActivation: EnqueueActivation;
  /** @default Date.now */
  now?: () => number;
}

export type DecideRequest = (input: DecideInput) => Promise<DecideOutcome>;

const TARGET = { approve: 'APPROVED', reject: 'REJECTED', cancel: 'CANCELLED' } as const;
const VERB = { approve: 'approve', reject: 'reject', cancel: 'cancel' } as const;

export function createDecideRequest(deps: DecideDeps): DecideRequest {
  return async (input) => {
    const { actor, decision } = input;
    const request = await deps.repository.get(input.requestId);
    if (!request) return { kind: 'not_found', message: 'I cannot find that request any more.' };
    const slack = { teamId: actor.enterpriseId ?? actor.teamId, channelId: input.channelId };
    const who: Actor = { userId: actor.userId, ...(actor.teamId ? { teamId: actor.teamId } : {}) };

    const account = findAccount(await snapshotOf(deps.accounts), request.accountId);
    const refusal =
      decision === 'cancel'
        ? ((await installationRefusal(deps, request, actor)) ??
          (actor.userId === request.requester.userId ? undefined : 'Only the person who asked can cancel a request.'))
        : ((decision === 'approve' ? (blockedNow(deps, request) ?? unregistered(request, account)) : undefined) ??
          (await approverRefusal(deps, request, account, actor, decision)));
    if (refusal) {
      await deps.repository.recordAuditNote(request.id, {
        actor: who,
        action: `${VERB[decision]}_refused`,
        slack,
        note: refusal,
      });
      return { kind: 'refused', message: refusal };
    }

    // Too old to decide, and the reconciler has not come round yet: the click expires it instead of deciding it.
    const { expireAfterMs } = deps.config.approval;
    if (isOverdue(request, expireAfterMs, (deps.now ?? Date.now)())) {
      const expired = await expireRequest(deps, request, expireAfterMs, who, slack);
      if (!expired.ok) return lost(expired, request);
      return { kind: 'expired', message: expiredText(expired.request, expireAfterMs), request: expired.request };
    }
    // Decided already (a double click, a second approver): say by whom, without a write that would fail anyway.
    if (request.state !== 'REQUESTED')
      return { kind: 'already_handled', message: alreadyHandledText(request), request };
    const to = TARGET[decision];
    // Slack's listener redacts already and tells the writer; this keeps secrets out of the store whatever the entry.
    const reason = input.reason ? redactSecrets(input.reason).text : undefined;
    const result = await deps.repository.transition(request.id, {
      from: 'REQUESTED',
      to,
      actor: who,
      slack,
      ...(reason ? { note: reason } : {}),
      ...(decision === 'reject' && reason ? { patch: { error: { code: 'REJECTED', message: reason } } } : {}),
    });
    if (!result.ok) return lost(result, request);

    if (decision === 'approve') await deps.enqueueActivation({ kind: 'activate_request', requestId: request.id });
    await deps.notifier.refreshCard(result.request);
    if (decision !== 'approve') await deps.notifier.requestEnded(result.request);
    return { kind: 'decided', request: result.request };
  };
}

/** The deny-list is read at the click too: a model blocked after it was requested is not approved. */
function blockedNow(deps: DecideDeps, request: ActivationRequest): string | undefined {
  const block = findBlock(deps.config.approval.blockedModels, request.baseModelId);
  return block
    ? `${request.baseModelId} is now on this organisation's list of models that are not activated: ${block.reason} Reject the request instead.`
    : undefined;
}

/** An account removed from the registry since the request: nothing is activated there any more. */
function unregistered(request: ActivationRequest, account: unknown): string | undefined {
  return account
    ? undefined
    : `Account ${request.accountId} is no longer registered with this bot, so nothing can be activated there. Reject the request instead (or ask the bot's admins to register the account again).`;
}

function lost(result: Exclude<TransitionResult, { ok: true }>, request: ActivationRequest): DecideOutcome {
  if (result.reason === 'not_found') return { kind: 'not_found', message: 'I cannot find that request any more.' };
  const now = 'request' in result ? result.request : request;
  return { kind: 'already_handled', message: alreadyHandledText(now), request: now };
}

function expiredText(request: ActivationRequest, expireAfterMs: number): string {
  return `This request expired before you decided: nobody decided within ${describeExpiry(expireAfterMs)} of ${request.createdAt}, so it is closed and nothing was done. Whoever needs ${request.baseModelId} can ask again with \`/bedrock request\`.`;
}

/** "Already approved by <@U…> at …": who decided, from the stored request. */
export function alreadyHandledText(request: ActivationRequest): string {
  const by = request.decidedBy ?? request.lastActor;
  const at = request.decidedAt ?? request.updatedAt;
  const who = by && /^[UW][A-Z0-9]{2,}$/.test(by.userId) ? `<@${by.userId}>` : 'the bot';
  return `This request was already handled: it is ${request.state.toLowerCase()} (by ${who} at ${at}).`;
}
