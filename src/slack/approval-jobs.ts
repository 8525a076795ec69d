// The approval flow's background jobs. Listeners only ack and enqueue one of these; the runner does the work and
// tells people. Jobs are plain JSON; the activation job holds nothing but the request id.
import type { ActivationJob, SlackActor } from '../access/approval-ports.js';
import type { Decision } from '../access/decide-request.js';
import type { RequestActivationInput } from '../access/request-activation.js';
import type { Logger } from '../log.js';
import type { ApprovalFlow } from './approval-flow.js';
import { internalErrorMessage } from './blocks/errors.js';
import { clickAnswerMessage, requestListMessage, requestOutcomeMessage } from './blocks/request-messages.js';
import { type ReplyDeps, type ReplyTo, replyTo } from './reply-to.js';
import type { ResponseUrlBudget } from './response-url.js';

export type { ReplyTo } from './reply-to.js';

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

export interface ApprovalJobDeps extends ReplyDeps {
  flow: ApprovalFlow;
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
          await replyTo(deps, { userId: requester }, requestOutcomeMessage(outcome, requester), log);
        } catch (err) {
          log.error('activation request failed', { err });
          await replyTo(deps, { userId: requester }, internalErrorMessage(reference, 'sending your request'), log);
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
          if (outcome.kind !== 'decided') await replyTo(deps, job.replyTo, clickAnswerMessage(outcome.message), log);
          else if (job.decision === 'cancel') {
            await replyTo(deps, job.replyTo, clickAnswerMessage('Your request is cancelled.'), log);
          }
        } catch (err) {
          log.error('decision failed', { err });
          await replyTo(deps, job.replyTo, internalErrorMessage(reference, 'recording your decision'), log);
        }
        return;
      }
      case 'list_requests': {
        const { scope, requests } = await flow.listRequests(job.replyTo.userId);
        const withLinks = await Promise.all(
          requests.map(async (request) => ({ request, link: await flow.notifier.cardLink(request) })),
        );
        await replyTo(deps, job.replyTo, requestListMessage(withLinks, scope), log);
        return;
      }
    }
  };
}
