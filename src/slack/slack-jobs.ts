// The slow half of every Slack interaction, run after the ack: live status checks and Web API / response_url posts.
// Jobs are plain data so a durable queue can carry them; each runner reports its own failure to the user.
import type { CheckStatus, StatusQuery } from '../access/status-report.js';
import { isUserFacingError } from '../errors.js';
import { createInProcessLanes } from '../jobs/job-lanes.js';
import type { InProcessJobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../log.js';
import { type ApprovalJob, isApprovalJob } from './approval-jobs.js';
import { internalErrorMessage, userErrorMessage } from './blocks/errors.js';
import type { SlackMessage } from './blocks/message.js';
import { statusCard } from './blocks/status-card.js';
import { type ReplyDeps, type ReplyTo, replyTo, slackErrorCode } from './reply-to.js';

export { slackErrorCode } from './reply-to.js';

export type SlackJob =
  | {
      kind: 'status_check';
      query: StatusQuery;
      /** Slack's response_url for the answer; absent (or refused), the answer goes to `replyTo` instead. */
      responseUrl?: string;
      replyTo?: ReplyTo;
      /** Replace the "checking …" message (slash command) or add a new one (button on an existing card). */
      replaceOriginal: boolean;
      reference: string;
    }
  | {
      kind: 'respond';
      responseUrl?: string;
      replyTo?: ReplyTo;
      message: SlackMessage;
      replaceOriginal: boolean;
      reference: string;
    }
  | { kind: 'post_message'; channel: string; threadTs?: string; message: SlackMessage; reference: string }
  | ApprovalJob;

export interface SlackJobDeps extends ReplyDeps {
  checkStatus: CheckStatus;
  logger: Logger;
  /** Runs the approval flow's jobs (absent when the flow is not set up). */
  runApprovalJob?: (job: ApprovalJob) => Promise<void>;
}

/**
 * Status checks have a lane of their own: however many are waiting (each may take seconds of AWS calls), a decision,
 * a request or a reply never waits behind them.
 */
export const SLACK_JOB_LANES = ['status', 'interactive'] as const;
export type SlackJobLane = (typeof SLACK_JOB_LANES)[number];

export function slackJobLane(job: SlackJob): SlackJobLane {
  return job.kind === 'status_check' ? 'status' : 'interactive';
}

/** The in-process queue for Slack jobs: one lane per SLACK_JOB_LANES, `concurrency` (default 4) workers each. */
export function createSlackJobLanes(options: {
  run: (job: SlackJob) => Promise<void>;
  logger: Logger;
  concurrency?: number;
}): InProcessJobQueue<SlackJob> {
  return createInProcessLanes({ ...options, describe: describeSlackJob, laneOf: slackJobLane, lanes: SLACK_JOB_LANES });
}

export function describeSlackJob(job: SlackJob): string {
  return `${job.kind} ${'reference' in job ? job.reference : job.requestId}`;
}

export function createSlackJobRunner(deps: SlackJobDeps): (job: SlackJob) => Promise<void> {
  return async (job) => {
    if (isApprovalJob(job)) {
      if (!deps.runApprovalJob) throw new Error(`approval job ${job.kind} but the approval flow is not set up`);
      return deps.runApprovalJob(job);
    }
    const log = deps.logger.child({ reference: job.reference, job: job.kind });
    switch (job.kind) {
      case 'status_check': {
        const message = await statusMessage(deps.checkStatus, job.query, job.reference, log);
        return answer(deps, job, message, log);
      }
      case 'respond':
        return answer(deps, job, job.message, log);
      case 'post_message':
        try {
          await deps.client.chat.postMessage({
            channel: job.channel,
            ...(job.threadTs ? { thread_ts: job.threadTs } : {}),
            text: job.message.text,
            blocks: job.message.blocks,
            // Pasted errors are full of ARNs and URLs: unfurling them is noise.
            unfurl_links: false,
            unfurl_media: false,
          });
        } catch (err) {
          // Nobody to tell: the reply itself is what failed (bot removed from the channel, channel gone…).
          log.warn('could not post the reply', { channel: job.channel, slackError: slackErrorCode(err), err });
        }
        return;
    }
  };
}

async function statusMessage(
  checkStatus: CheckStatus,
  query: StatusQuery,
  reference: string,
  log: Logger,
): Promise<SlackMessage> {
  try {
    const report = await checkStatus(query);
    log.info('status checked', { modelRef: query.modelRef, verdict: report.verdict });
    return statusCard(report);
  } catch (err) {
    if (isUserFacingError(err)) {
      log.info('status check refused', { code: err.code, message: err.message });
      return userErrorMessage(err.message, reference);
    }
    log.error('status check failed', { modelRef: query.modelRef, err });
    return internalErrorMessage(reference, 'checking the model status');
  }
}

/** The answer to a command or button: through its response_url, else to whoever pressed it; else dropped, logged. */
async function answer(
  deps: SlackJobDeps,
  job: { responseUrl?: string; replyTo?: ReplyTo; replaceOriginal: boolean },
  message: SlackMessage,
  log: Logger,
): Promise<void> {
  const { responseUrl, replyTo: to, replaceOriginal } = job;
  if (to) return replyTo(deps, { ...to, ...(responseUrl ? { responseUrl } : {}) }, message, log, replaceOriginal);
  if (!responseUrl || !deps.allowsResponseUrl(responseUrl)) {
    log.warn('no Slack response URL and nobody to answer; reply dropped');
    return;
  }
  await deps.postToResponseUrl(responseUrl, {
    ...message,
    response_type: 'ephemeral',
    replace_original: replaceOriginal,
  });
}
