// "Not what happened?" on a diagnosis card: keeps the held paste (only for the person who pasted it, only inside
// the hold window) and thanks them in an ephemeral reply. Acks at once; the store write and the reply follow.
import { ACTION, parseHeldPasteId } from '../action-ids.js';
import { internalErrorMessage, userErrorMessage } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { missOutcomeMessage } from '../blocks/miss-messages.js';
import type { ListenerDeps } from '../listener-deps.js';
import { usableResponseUrl } from '../response-url.js';
import type { ButtonArgs } from './model-buttons.js';

export function notWhatHappenedAction(deps: ListenerDeps) {
  return async function onNotWhatHappened({ ack, action, body }: ButtonArgs): Promise<void> {
    await ack();
    const reference = deps.newReference();
    const log = deps.logger.child({ reference, action: ACTION.notWhatHappened, user: body.user.id });
    // A press whose response_url is not Slack's is still kept; only the thank-you is dropped (logged by the check).
    const responseUrl = usableResponseUrl(deps.allowsResponseUrl, body.response_url, log);
    const answer = async (message: SlackMessage) => {
      if (responseUrl)
        await deps.jobs.enqueue({ kind: 'respond', responseUrl, message, replaceOriginal: false, reference });
      else log.warn('no Slack response_url to answer the press on');
    };
    const id = parseHeldPasteId(action.value);
    if (!id || !deps.misses) {
      log.warn('button value not understood, or misses are not kept here');
      return answer(userErrorMessage('That button no longer works.', reference));
    }
    const { store, keepDays } = deps.misses;
    let outcome: Awaited<ReturnType<typeof store.keep>>;
    try {
      outcome = await store.keep(id, { userId: body.user.id }, keepDays);
    } catch (err) {
      log.error('could not keep the paste', { err });
      return answer(internalErrorMessage(reference, 'keeping that paste'));
    }
    // The paste is never logged; its category is enough to find the miss.
    log.info('"Not what happened?" pressed', {
      kept: outcome.kept,
      ...(outcome.kept ? { category: outcome.miss.diagnosed.category } : { reason: outcome.reason }),
    });
    return answer(missOutcomeMessage(outcome, keepDays));
  };
}
