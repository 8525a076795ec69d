// The worker's boundary: an SQS body becomes a job only if it has a job's exact shape, and a response_url only if it
// points at Slack. Anyone able to send to the queue is trusted this far and no further: the job runners re-read the
// request from the store and re-check who may decide it.
import { z } from 'zod';
import { slackResponseUrls } from '../../src/slack/response-url.js';
import type { SlackJob } from '../../src/slack/slack-jobs.js';

const reference = z.string().min(1).max(64);
const message = z.object({
  text: z.string().max(40_000),
  blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
});

/** Slack's response URLs only (and SLACK_API_URL's origin): the same check every poster makes. */
function responseUrl(slackApiUrl: string | undefined) {
  return z.url().refine(slackResponseUrls(slackApiUrl), 'a Slack response_url');
}

const slackUser = z.string().regex(/^[UW][A-Z0-9]{6,}$/);
const slackTeam = z.string().regex(/^T[A-Z0-9]{6,}$/);
const slackChannel = z.string().regex(/^[CDG][A-Z0-9]{6,}$/);
const requestId = z.string().min(1).max(128);

export function workerJobSchema(options: { slackApiUrl?: string } = {}) {
  const url = responseUrl(options.slackApiUrl);
  const replyTo = z
    .object({ userId: slackUser, channelId: slackChannel.optional(), responseUrl: url.optional() })
    .strict();
  return z.discriminatedUnion('kind', [
    // The approval flow's jobs. The activation job is the request id alone: the runner reads the approver, model and
    // account from the store and checks the approver again before it assumes any role.
    z.object({ kind: z.literal('activate_request'), requestId }).strict(),
    z
      .object({
        kind: z.literal('decide'),
        requestId,
        decision: z.enum(['approve', 'reject', 'cancel']),
        actor: z
          .object({
            userId: slackUser,
            teamId: slackTeam.optional(),
            enterpriseId: z
              .string()
              .regex(/^E[A-Z0-9]{6,}$/)
              .optional(),
            appId: z
              .string()
              .regex(/^A[A-Z0-9]{6,}$/)
              .optional(),
          })
          .strict(),
        reason: z.string().max(3000).optional(),
        replyTo,
        reference,
      })
      .strict(),
    z
      .object({
        kind: z.literal('submit_request'),
        input: z
          .object({
            modelRef: z.string().min(1).max(2048),
            account: z.string().max(64).optional(),
            region: z.string().max(32).optional(),
            reason: z.string().max(3000),
            requester: z
              .object({ userId: slackUser, teamId: slackTeam.optional(), channelId: slackChannel.optional() })
              .strict(),
          })
          .strict(),
        reference,
      })
      .strict(),
    z.object({ kind: z.literal('list_requests'), replyTo, reference }).strict(),
    z
      .object({
        kind: z.literal('status_check'),
        query: z
          .object({
            modelRef: z.string().min(1).max(2048),
            account: z.string().max(64).optional(),
            regions: z.array(z.string().max(32)).max(32).optional(),
          })
          .strict(),
        responseUrl: url.optional(),
        replyTo: replyTo.optional(),
        replaceOriginal: z.boolean(),
        reference,
      })
      .strict(),
    z
      .object({
        kind: z.literal('respond'),
        responseUrl: url.optional(),
        replyTo: replyTo.optional(),
        message,
        replaceOriginal: z.boolean(),
        reference,
      })
      .strict(),
    z
      .object({
        kind: z.literal('post_message'),
        channel: slackChannel,
        threadTs: z
          .string()
          .regex(/^\d+\.\d+$/)
          .optional(),
        message,
        reference,
      })
      .strict(),
  ]);
}

export type WorkerJob = SlackJob;

/** The job in an SQS body, or why it is not one (never echoing the body: it may hold pasted text). */
export function parseWorkerJob(
  body: string,
  schema: ReturnType<typeof workerJobSchema>,
): { job: WorkerJob } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'body is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.code}`).join('; ') };
  }
  return { job: parsed.data as WorkerJob };
}
