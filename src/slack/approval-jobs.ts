// The approval flow's background jobs. Listeners only ack and enqueue one of these; the runner does the work and
// tells people. Jobs are plain JSON; the activation job holds nothing but the request id.
import type { webApi } from '@slack/bolt';
import type { ActivationJob, SlackActor } from '../access/approval-ports.js';
import type { Decision } from '../access/decide-request.js';
import type { RequestActivationInput } from '../access/request-activation.js';
import type { Logger } from '../log.js';
import type { ApprovalFlow } from './approval-flow.js';
import { internalErrorMessage } from './blocks/errors.js';
import type { SlackMessage } from './blocks/message.js';
import { clickAnswerMessage, requestListMessage, requestOutcomeMessage } from './blocks/request-messages.js';
import type { PostToResponseUrl, ResponseUrlBudget } from './response-url.js';
import { slackErrorCode } from './slack-jobs.js';

/** Where to answer the person who acted: their response_url (budgeted), else a DM. */
export interface ReplyTo {
  userId: string;
  channelId?: string;
  responseUrl?: string;
}

export type ApprovalJob =
  | { kind: 'submit_request'; input: RequestActivationInput; reference: string }
  | {
      kind: 'decide';
      requestId: string;
      decision: Decision;
      actor: SlackActor;
      reason?: string;
      replyTo: ReplyTo;
      reference: string;
    }
  | ActivationJob
  | { kind: 'list_requests'; replyTo: ReplyTo; reference: string };

export interface ApprovalJobDeps {
  flow: ApprovalFlow;
  client: webApi.WebClient;
  postToResponseUrl: PostToResponseUrl;
  responseUrls: ResponseUrlBudget;
  logger: Logger;
}

export function isApprovalJob(job: { kind: string }): job is ApprovalJob {
  return ['submit_request', 'decide', 'activate_request', 'list_requests'].includes(job.kind);
}

export function createApprovalJobRunner(deps: ApprovalJobDeps): (job: ApprovalJob) => Promise<void> {
  const { flow } = deps;
  return async (job) => {
    const reference = 'reference' in job ? job.reference : job.requestId;
    const log = deps.logger.child({ reference, job: job.kind });
    switch (job.kind) {
      case 'activate_request':
        await flow.runActivationJob(job);
        return;
      case 'submit_request': {
        const requester = job.input.requester.userId;
        try {
          const outcome = await flow.requestActivation(job.input);
          log.info('activation request handled', { outcome: outcome.kind, requester });
          await reply(deps, { userId: requester }, requestOutcomeMessage(outcome, requester), log);
        } catch (err) {
          log.error('activation request failed', { err });
          await reply(deps, { userId: requester }, internalErrorMessage(reference, 'sending your request'), log);
        }
        return;
      }
      case 'decide': {
        try {
          const outcome = await flow.decide({
            requestId: job.requestId,
            decision: job.decision,
            actor: job.actor,
            ...(job.replyTo.channelId ? { channelId: job.replyTo.channelId } : {}),
            ...(job.reason ? { reason: job.reason } : {}),
          });
          log.info('decision handled', { decision: job.decision, outcome: outcome.kind, user: job.actor.userId });
          if (outcome.kind !== 'decided') await reply(deps, job.replyTo, clickAnswerMessage(outcome.message), log);
          else if (job.decision === 'cancel') {
            await reply(deps, job.replyTo, clickAnswerMessage('Your request is cancelled.'), log);
          }
        } catch (err) {
          log.error('decision failed', { err });
          await reply(deps, job.replyTo, internalErrorMessage(reference, 'recording your decision'), log);
        }
        return;
      }
      case 'list_requests': {
        const { scope, requests } = await flow.listRequests(job.replyTo.userId);
        const withLinks = await Promise.all(
          requests.map(async (request) => ({ request, link: await flow.notifier.cardLink(request) })),
        );
        await reply(deps, job.replyTo, requestListMessage(withLinks, scope), log);
        return;
      }
    }
  };
}

async function reply(deps: ApprovalJobDeps, to: ReplyTo, message: SlackMessage, log: Logger): Promise<void> {
  if (to.responseUrl && deps.responseUrls.take(to.responseUrl)) {
    try {
      await deps.postToResponseUrl(to.responseUrl, { ...message, response_type: 'ephemeral', replace_original: false });
      return;
    } catch (err) {
      log.warn('response_url post failed; sending a direct message instead', { err });
    }
  }
  // A modal's submission has no response_url: still only the clicker sees the answer, in the card's channel. (A
  // spent response_url falls through to chat.postMessage, as issue 8 asks.)
  if (!to.responseUrl && to.channelId) {
    try {
      await deps.client.chat.postEphemeral({
        channel: to.channelId,
        user: to.userId,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    } catch (err) {
      log.warn('ephemeral answer refused; sending a direct message instead', { slackError: slackErrorCode(err) });
    }
  }
  try {
    await deps.client.chat.postMessage({
      channel: to.userId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    log.warn('could not tell the user', { user: to.userId, slackError: slackErrorCode(err) });
  }
}
