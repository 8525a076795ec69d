// Modal submissions. Bad values come back inline (`response_action: errors`); good ones close the modal and become
// a background job, which answers the person by direct message.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { redactSecrets } from '../../redact.js';
import { actorOf } from '../actions/approval-buttons.js';
import { secretsRemovedMessage } from '../blocks/request-messages.js';
import { readRejectMetadata, readRejectSubmission, readRequestSubmission } from '../blocks/request-modal.js';
import type { ListenerDeps } from '../listener-deps.js';
import type { ReplyTo } from '../reply-to.js';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function requestSubmitted(deps: ListenerDeps) {
  return async function onRequestSubmitted({ ack, body, view }: ViewArgs): Promise<void> {
    const accounts = (await deps.approval?.accounts()) ?? [];
    const read = readRequestSubmission(view.state, accounts);
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    await ack();
    const reference = deps.newReference();
    const actor = actorOf(body);
    deps.logger.info('activation request submitted', { reference, user: actor.userId, modelRef: read.value.modelRef });
    const reason = await withoutSecrets(deps, read.value.reason, { userId: actor.userId }, reference);
    await deps.jobs.enqueue({
      kind: 'submit_request',
      input: {
        modelRef: read.value.modelRef,
        account: read.value.accountKey,
        region: read.value.region,
        reason,
        requester: { userId: actor.userId, ...(actor.teamId ? { teamId: actor.teamId } : {}) },
      },
      reference,
    });
  };
}

export function rejectSubmitted(deps: ListenerDeps) {
  return async function onRejectSubmitted({ ack, body, view }: ViewArgs): Promise<void> {
    const read = readRejectSubmission(view.state);
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const meta = readRejectMetadata(view.private_metadata);
    await ack();
    if (!meta) {
      deps.logger.warn('reject modal metadata not understood');
      return;
    }
    const reference = deps.newReference();
    const replyTo = { userId: body.user.id, ...(meta.channelId ? { channelId: meta.channelId } : {}) };
    const reason = await withoutSecrets(deps, read.reason, replyTo, reference);
    await deps.jobs.enqueue({
      kind: 'decide',
      requestId: meta.requestId,
      decision: 'reject',
      actor: actorOf(body),
      reason,
      replyTo,
      reference,
    });
  };
}

/**
 * The reason with every secret in it replaced, before it is stored, posted on the card or sent to anyone; the writer
 * is told (by the Web API: a modal has no response_url) so they can rotate what they pasted.
 */
async function withoutSecrets(deps: ListenerDeps, typed: string, writer: ReplyTo, reference: string) {
  const { text, redacted } = redactSecrets(typed);
  if (redacted === 0) return typed;
  deps.logger.warn('secrets removed from a reason', { reference, user: writer.userId, redacted });
  await deps.jobs.enqueue({
    kind: 'respond',
    replyTo: writer,
    message: secretsRemovedMessage(redacted),
    replaceOriginal: false,
    reference,
  });
  return text;
}
