// Approve, Reject and Cancel request. Each listener acks at once; the decision runs as a background job that loads
// the request from the store (the button carries only its key) and checks the clicker there.
import type { SlackActor } from '../../access/approval-ports.js';
import type { Decision } from '../../access/decide-request.js';
import { parseRequestKey } from '../action-ids.js';
import { clickAnswerMessage } from '../blocks/request-messages.js';
import { rejectModal } from '../blocks/request-modal.js';
import type { ListenerDeps } from '../listener-deps.js';
import { expiredTriggerMessage, openModal } from '../open-modal.js';
import { usableResponseUrl } from '../response-url.js';
import type { ButtonArgs } from './model-buttons.js';

/** The clicker as the signed payload names them, with their Enterprise Grid organisation and the app addressed. */
export function actorOf(body: {
  user: { id: string; team_id?: string };
  team?: { id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
  api_app_id?: string;
}): SlackActor {
  const teamId = body.user.team_id ?? body.team?.id;
  const enterpriseId = body.enterprise?.id ?? body.team?.enterprise_id;
  return {
    userId: body.user.id,
    ...(teamId ? { teamId } : {}),
    ...(enterpriseId ? { enterpriseId } : {}),
    ...(body.api_app_id ? { appId: body.api_app_id } : {}),
  };
}

function decisionAction(deps: ListenerDeps, decision: Exclude<Decision, 'reject'>) {
  return async function onDecision({ ack, action, body }: ButtonArgs): Promise<void> {
    await ack();
    const reference = deps.newReference();
    const requestId = parseRequestKey(action.value);
    const responseUrl = usableResponseUrl(deps.allowsResponseUrl, body.response_url, deps.logger.child({ reference }));
    const replyTo = {
      userId: body.user.id,
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      ...(responseUrl ? { responseUrl } : {}),
    };
    if (!requestId) {
      deps.logger.warn('request key not understood', { reference, action: action.action_id });
      await deps.jobs.enqueue({
        kind: 'respond',
        ...(responseUrl ? { responseUrl } : {}),
        replyTo,
        message: clickAnswerMessage('That button no longer works.'),
        replaceOriginal: false,
        reference,
      });
      return;
    }
    await deps.jobs.enqueue({ kind: 'decide', requestId, decision, actor: actorOf(body), replyTo, reference });
  };
}

export function approveAction(deps: ListenerDeps) {
  return decisionAction(deps, 'approve');
}

export function cancelRequestAction(deps: ListenerDeps) {
  return decisionAction(deps, 'cancel');
}

/** Reject asks for a reason first: the modal opens now, inside the trigger's life; the decision comes on submit. */
export function rejectAction(deps: ListenerDeps) {
  return async function onReject({ ack, action, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const requestId = parseRequestKey(action.value);
    if (!requestId) {
      deps.logger.warn('request key not understood', { action: action.action_id, user: body.user.id });
      return;
    }
    // The channel travels with the modal so the rejection is audited with where it came from.
    const opened = await openModal(client, body.trigger_id, rejectModal(requestId, body.channel?.id));
    if (opened === 'expired') {
      const reference = deps.newReference();
      const log = deps.logger.child({ reference });
      log.warn('reject form not opened: trigger expired', { user: body.user.id });
      const responseUrl = usableResponseUrl(deps.allowsResponseUrl, body.response_url, log);
      await deps.jobs.enqueue({
        kind: 'respond',
        ...(responseUrl ? { responseUrl } : {}),
        replyTo: { userId: body.user.id, ...(body.channel?.id ? { channelId: body.channel.id } : {}) },
        message: expiredTriggerMessage('Press Reject again.', reference),
        replaceOriginal: false,
        reference,
      });
    }
  };
}
