// The Slack half of the composition root: the Bolt app over the transport an entry point picks, with its job queue
// and delivery ledger. It imports no AWS adapter (Bedrock, STS) and no embedded store, so the Slack-facing Lambda can
// be bundled from it alone; where jobs run in this process the caller passes the status checker in.
import type { Receiver } from '@slack/bolt';
import type { MissStore } from '../access/diagnosis-misses.js';
import { type FlowMetrics, withDiagnosisMetrics, withFlowMetrics } from '../access/flow-metrics.js';
import type { UsageCounter } from '../access/rate-limit.js';
import type { CheckStatus } from '../access/status-report.js';
import type { Config } from '../config.js';
import { diagnose as diagnoseText } from '../diagnosis/diagnose.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { JobQueue, JobRunner } from '../jobs/job-queue.js';
import type { Logger } from '../log.js';
import {
  type ApprovalDeps,
  createApp,
  type SlackApp,
  SlackSetupError,
  type SocketTimings,
} from '../slack/create-app.js';
import type { DeliveryLedger } from '../slack/delivery-ledger.js';
import type { PostToResponseUrl } from '../slack/response-url.js';
import type { SlackJob } from '../slack/slack-jobs.js';

/**
 * How Slack reaches the app:
 * - `http`: Bolt's HTTP receiver at /slack/events (start it with `app.start(port)`), needs SLACK_SIGNING_SECRET;
 * - `socket`: Socket Mode with SLACK_APP_TOKEN (no port);
 * - `receiver`: a receiver passed in, e.g. Bolt's `AwsLambdaReceiver`.
 */
export type SlackTransport = { kind: 'http' } | { kind: 'socket' } | { kind: 'receiver'; receiver: Receiver };

export interface ComposeSlackOptions {
  logger: Logger;
  transport: SlackTransport;
  /** Answers each Events API delivery once; usually `storeDeliveryLedger(store.repository)`. */
  deliveries: DeliveryLedger;
  /** Counts each person's status checks; usually `store.usage`, shared by every process. @default this process */
  usage?: UsageCounter;
  /** The clock of the status shares and cache (tests). @default Date.now */
  now?: () => number;
  /** Needed only where status jobs run in this process (the default in-process queue). */
  checkStatus?: CheckStatus;
  /** @default an in-process queue that runs jobs here, 4 at a time */
  jobs?: (run: JobRunner<SlackJob>) => JobQueue<SlackJob>;
  /** Hold HTTP responses until listeners finish (FaaS). @default false */
  processBeforeResponse?: boolean;
  /** @default the diagnosis engine */
  diagnose?: (text: string) => Diagnosis;
  postToResponseUrl?: PostToResponseUrl;
  newReference?: () => string;
  /** Socket Mode timings (tests shorten them). */
  socketMode?: SocketTimings;
  /**
   * The approval flow: the request store and the activator (and, for tests, other accounts and settings than
   * `config`'s). Without it "Request activation" hands over the admin command instead.
   */
  approval?: Omit<ApprovalDeps, 'config'> & { config?: ApprovalDeps['config'] };
  /** Where "Not what happened?" holds and keeps pastes (kept for MISSES_TTL_DAYS); usually `store.misses`. */
  misses?: MissStore;
  /** The flow's figures (diagnoses, and the approval store's transitions). @default none recorded */
  metrics?: FlowMetrics;
}

/** Builds the Bolt app from Config. Throws SlackSetupError when a setting the transport needs is missing. */
export function composeSlackApp(config: Config, options: ComposeSlackOptions): SlackApp {
  const { slack } = config;
  if (!slack.botToken) throw new SlackSetupError('SLACK_BOT_TOKEN is required');
  if (options.transport.kind === 'socket' && !slack.appToken) {
    throw new SlackSetupError('SLACK_APP_TOKEN is required for Socket Mode');
  }
  const { metrics } = options;
  const diagnose = options.diagnose ?? diagnoseText;
  const approval = options.approval && {
    ...options.approval,
    config: options.approval.config ?? config,
    ...(metrics ? { repository: withFlowMetrics(options.approval.repository, metrics) } : {}),
  };
  return createApp({
    diagnose: metrics ? withDiagnosisMetrics(diagnose, metrics) : diagnose,
    ...(options.checkStatus ? { checkStatus: options.checkStatus } : {}),
    deliveries: options.deliveries,
    logger: options.logger,
    logLevel: config.logLevel,
    defaultRegion: config.defaultRegion,
    limits: config.limits,
    ...(options.usage ? { usage: options.usage } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.transport.kind === 'receiver' ? { receiver: options.transport.receiver } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.postToResponseUrl ? { postToResponseUrl: options.postToResponseUrl } : {}),
    ...(options.newReference ? { newReference: options.newReference } : {}),
    ...(approval ? { approval } : {}),
    ...(options.misses ? { misses: { store: options.misses, keepDays: config.misses.ttlDays } } : {}),
    slack: {
      botToken: slack.botToken,
      signingSecret: slack.signingSecret,
      // The app token picks Socket Mode inside createApp; pass it only when that is the transport chosen.
      ...(options.transport.kind === 'socket' ? { appToken: slack.appToken } : {}),
      apiUrl: slack.apiUrl,
      botId: slack.botId,
      botUserId: slack.botUserId,
      teamId: slack.teamId,
      processBeforeResponse: options.processBeforeResponse ?? false,
      ...(options.socketMode ? { socket: options.socketMode } : {}),
    },
  });
}
