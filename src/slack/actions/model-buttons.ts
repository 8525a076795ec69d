// Buttons on the diagnosis and status cards. Both ack at once; the answer goes out through the response URL.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { parseModelButtonValue } from '../action-ids.js';
import { activationRequestMessage } from '../blocks/activation-request.js';
import { userErrorMessage } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { requestModal } from '../blocks/request-modal.js';
import type { ListenerDeps } from '../listener-deps.js';
import { expiredTriggerMessage, openModal } from '../open-modal.js';
import { usableResponseUrl } from '../response-url.js';
import { slowDownMessage, takeStatusShare } from '../status-shares.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function checkStatusAction(deps: ListenerDeps) {
  return async function onCheckStatus({ ack, action, body }: ButtonArgs): Promise<void> {
    await ack();
    const reference = deps.newReference();
    const log = deps.logger.child({ reference, action: action.action_id, user: body.user.id });
    const value = parseModelButtonValue(action.value);
    const answerTo = answerToOf(deps, body, log);
    if (!value) {
      log.warn('button value not understood');
      await deps.jobs.enqueue({
        kind: 'respond',
        ...answerTo,
        message: userErrorMessage('That button no longer works. Run `/bedrock status <model>` instead.', reference),
        replaceOriginal: false,
        reference,
      });
      return;
    }
    const share = await takeStatusShare(deps.statusChecks, body.user.id, log);
    if (!share.ok) {
      log.info('status check refused: over the per-person share');
      await deps.jobs.enqueue({
        kind: 'respond',
        responseUrl: body.response_url,
        message: slowDownMessage(share, deps.statusChecks),
        replaceOriginal: false,
        reference,
      });
      return;
    }
    log.info('status check requested from a card', { modelRef: value.m, region: value.r, account: value.a });
    await deps.jobs.enqueue({
      kind: 'status_check',
      query: {
        modelRef: value.m,
        ...(value.a ? { namedAccount: value.a } : {}),
        ...(value.r ? { regions: [value.r] } : {}),
      },
      ...answerTo,
      replaceOriginal: false,
      reference,
    });
  };
}

export function requestActivationAction(deps: ListenerDeps) {
  return async function onRequestActivation({ ack, action, body, client }: ButtonArgs): Promise<void> {
    await ack();
    const reference = deps.newReference();
    const log = deps.logger.child({ reference, action: action.action_id, user: body.user.id, team: body.team?.id });
    const value = parseModelButtonValue(action.value);
    const answerTo = answerToOf(deps, body, log);
    const answer = (message: SlackMessage) =>
      deps.jobs.enqueue({ kind: 'respond', ...answerTo, message, replaceOriginal: false, reference });
    if (!value) {
      log.warn('button value not understood');
      return answer(
        userErrorMessage('That button no longer works. Run `/bedrock request <model>` instead.', reference),
      );
    }
    log.info('activation requested', { modelId: value.m, region: value.r ?? deps.defaultRegion });
    if (!deps.approval) {
      // No approval flow configured: hand over the exact admin command instead.
      return answer(activationRequestMessage({ modelId: value.m, region: value.r ?? deps.defaultRegion, reference }));
    }
    const accounts = await deps.approval.accounts();
    if (value.a && !accounts.some((a) => a.key === value.a)) {
      return answer(
        userErrorMessage(
          `Account ${value.a} is not managed by this bot, so I cannot request activation there.`,
          reference,
        ),
      );
    }
    const opened = await openModal(
      client,
      body.trigger_id,
      requestModal({
        accounts,
        modelRef: value.m,
        ...(value.a ? { accountKey: value.a } : {}),
        ...(value.r ? { region: value.r } : {}),
      }),
    );
    if (opened === 'expired') {
      log.warn('request form not opened: trigger expired');
      return answer(expiredTriggerMessage('Press Request activation again.', reference));
    }
  };
}

/** The press's response_url when it is Slack's; the presser (in the card's channel) either way, as the fallback. */
function answerToOf(deps: ListenerDeps, body: ButtonArgs['body'], log: Logger) {
  const responseUrl = usableResponseUrl(deps.allowsResponseUrl, body.response_url, log);
  return {
    ...(responseUrl ? { responseUrl } : {}),
    replyTo: { userId: body.user.id, ...(body.channel?.id ? { channelId: body.channel.id } : {}) },
  };
}
