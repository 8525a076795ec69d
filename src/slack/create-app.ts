// The Bolt app: listeners, middleware and the background-job runner, over whichever receiver the caller picks.
// Built by the composition root (src/runtime/compose-slack.ts); entry points do not call this directly.
import { randomUUID } from 'node:crypto';
import {
  type AnyMiddlewareArgs,
  App,
  HTTPReceiver,
  type Middleware,
  type Receiver,
  type ReceiverEvent,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import { type AccountDirectory, staticAccounts } from '../access/account-registry.js';
import type { ActivateModel } from '../access/activation/activate-model.js';
import type { ActivationJob } from '../access/approval-ports.js';
import type { MissStore } from '../access/diagnosis-misses.js';
import type { UsageCounter } from '../access/rate-limit.js';
import { accountKey } from '../access/request-activation.js';
import type { RequestRepository } from '../access/request-repository.js';
import type { CheckStatus } from '../access/status-report.js';
import type { Config } from '../config.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { messageOf } from '../errors.js';
import { createInProcessJobQueue, type JobQueue, type JobRunner } from '../jobs/job-queue.js';
import type { Logger } from '../log.js';
import { registerActions } from './actions/index.js';
import { type ApprovalFlow, createApprovalFlow, slackInstallation } from './approval-flow.js';
import { createApprovalJobRunner } from './approval-jobs.js';
import { boltLogger } from './bolt-logger.js';
import { registerCommands } from './commands/index.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { registerEvents } from './events/index.js';
import { guardHttpReceiver } from './front-door-http.js';
import type { ListenerDeps } from './listener-deps.js';
import { politeFailures } from './polite-failures.js';
import {
  createResponseUrlBudget,
  createResponseUrlPoster,
  type PostToResponseUrl,
  slackResponseUrls,
} from './response-url.js';
import { createSlackJobLanes, createSlackJobRunner, type SlackJob } from './slack-jobs.js';
import { DEFAULT_STATUS_LIMITS, type StatusLimits, statusShares } from './status-shares.js';
import { registerViews } from './views/index.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Largest request body accepted. Slack messages are at most 40,000 characters; 1 MiB leaves ample room. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export interface SlackConnection {
  /** `SLACK_BOT_TOKEN` (xoxb-…). */
  botToken: string;
  /** `SLACK_SIGNING_SECRET`; required for the HTTP receiver. */
  signingSecret?: string;
  /** `SLACK_APP_TOKEN` (xapp-…); when set the app connects through Socket Mode instead of receiving HTTP. */
  appToken?: string;
  /** `SLACK_API_URL`: Web API base URL, e.g. a local fake in tests. @default https://slack.com/api/ */
  apiUrl?: string;
  /**
   * `SLACK_BOT_ID` and `SLACK_BOT_USER_ID`: when both are known the app never calls auth.test (a cold start makes
   * no Slack call); otherwise `init()` asks Slack for them and checks the token at the same time.
   */
  botId?: string;
  botUserId?: string;
  /**
   * Hold the HTTP response until listeners finish (needed on FaaS, where work after the response is frozen).
   * Listeners only ack and enqueue, so either way the ack is fast.
   * @default false
   */
  processBeforeResponse?: boolean;
  /** @default 1 MiB */
  bodyLimitBytes?: number;
  /** `SLACK_TEAM_ID`: when set, requests from any other workspace (e.g. Slack Connect guests) are turned away. */
  teamId?: string;
  /** Socket Mode timings; tests shorten them. */
  socket?: SocketTimings;
}

export interface SocketTimings {
  /** Ping interval ×3, and the wait before a reconnect (× consecutive failures). @default 5000 */
  clientPingTimeoutMs?: number;
  /** First wait between failed apps.connections.open calls; it doubles up to 1 minute. @default 1000 */
  reconnectMinDelayMs?: number;
}

export interface SlackAppDeps {
  /** Pure diagnosis of pasted text; never throws. */
  diagnose: (text: string) => Diagnosis;
  /**
   * Live status check; runs only in background jobs (it calls AWS). Absent where jobs run elsewhere (the Slack-facing
   * Lambda hands them to a queue and a worker runs them), so that bundle carries no AWS client.
   */
  checkStatus?: CheckStatus;
  /**
   * Where requests come from: a Bolt receiver such as `AwsLambdaReceiver`. Unset: Socket Mode when
   * `slack.appToken` is set, otherwise Bolt's HTTP receiver at /slack/events.
   */
  receiver?: Receiver;
  /** Answers each Events API delivery once (Slack retries carry the same event_id). */
  deliveries: DeliveryLedger;
  logger: Logger;
  /** Lowest level of Bolt's own log lines to keep. @default 'info' */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  slack: SlackConnection;
  /** Region for a "Request activation" that names none. */
  defaultRegion: string;
  /**
   * Builds the queue that runs background jobs, given the runner.
   * @default in-process lanes (status checks apart from everything else), 4 at a time each
   */
  jobs?: (run: JobRunner<SlackJob>) => JobQueue<SlackJob>;
  /** @default fetch-based poster with a 10 s timeout and one retry */
  postToResponseUrl?: PostToResponseUrl;
  /** @default 8 random hex characters */
  newReference?: () => string;
  /** The approval flow (issue 8): request store, activator and settings. Without it "Request activation" hands
   * over the admin command instead. */
  approval?: ApprovalDeps;
  /** Where "Not what happened?" holds and keeps pastes. Without it diagnosis cards have no such button. */
  misses?: { store: MissStore; keepDays: number; newId?: () => string };
  /** Each person's share of status checks, and how long a status answer is reused. @default DEFAULT_STATUS_LIMITS */
  limits?: StatusLimits;
  /** Where the shares are counted; the state store's counter holds across processes. @default this process */
  usage?: UsageCounter;
  /** The clock of the shares' windows and the status cache (tests). @default Date.now */
  now?: () => number;
}

export interface ApprovalDeps {
  config: Pick<Config, 'accounts' | 'approval'>;
  /** The registry requests and decisions read. @default config.accounts, fixed */
  accounts?: AccountDirectory;
  repository: RequestRepository;
  activateModel: ActivateModel;
  /** Injectable clock for the reconciler (tests). */
  now?: () => number;
  /**
   * Builds the queue activation jobs go to. Its own queue, so an activation never waits behind a burst of clicks.
   * @default an in-process queue, 4 at a time
   */
  activationJobs?: (run: JobRunner<ActivationJob>) => JobQueue<ActivationJob>;
}

export interface SlackApp {
  /** Call `init()` once before `app.start()` (or before handing events to the app). */
  app: App;
  /**
   * Readies the app. Verifies the bot token with Slack (auth.test) unless the bot ids were given; rejects with a
   * SlackSetupError.
   */
  init(): Promise<void>;
  jobs: JobQueue<SlackJob>;
  /** The background-job runner, for a worker that takes jobs off a durable queue. */
  runJob: JobRunner<SlackJob>;
  /** The approval flow, when configured (its reconciler runs on a timer in the local server). */
  approval?: ApprovalFlow;
  /** The queue activation jobs run from, when the approval flow is configured. */
  activationJobs?: JobQueue<ActivationJob>;
}

/**
 * Short ids for log correlation: a random per-process prefix and a counter. Unique enough to find a log line,
 * and cheaper than drawing random bytes on every request (which showed up in the ack latency profile).
 */
export function createReferenceMaker(): () => string {
  const prefix = randomUUID().slice(0, 3);
  let counter = Math.floor(Math.random() * 36 ** 4);
  return () => {
    counter = (counter + 1) % 36 ** 5;
    return `${prefix}${counter.toString(36).padStart(5, '0')}`;
  };
}

/** The workspace a request comes from: the command's or event's team, else the acting user's. */
function teamOf(body: unknown): string | undefined {
  const b = body as { team_id?: unknown; team?: { id?: unknown } | null; user?: { team_id?: unknown } };
  const team = b.team_id ?? b.team?.id ?? b.user?.team_id;
  return typeof team === 'string' ? team : undefined;
}

function onlyTeam(teamId: string, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const team = teamOf(args.body);
    if (team === undefined || team === teamId) return args.next();
    logger.warn('request from another workspace refused', { team });
    if ('ack' in args && typeof args.ack === 'function') {
      // A slash command shows this text to the person who typed it; other acks show nothing.
      const ack = args.ack as (message?: unknown) => Promise<void>;
      await ack(
        'command' in args
          ? { response_type: 'ephemeral', text: 'Sorry, this app only serves its own workspace.' }
          : undefined,
      );
    }
  };
}

/**
 * Socket Mode with its own reconnect policy. Bolt would hand the socket client the bounded retries above (meant for
 * background Web API calls); after three failed apps.connections.open calls during a Slack outage the client then
 * gave up, its rejection had no handler and the process died (issue 9). Here it never gives up on an outage: each
 * failure is logged and the wait doubles up to a minute. A refused token is not retried (Slack answers it as an error).
 */
function patientSocketReceiver(slack: SlackConnection, log: ReturnType<typeof boltLogger>, logger: Logger) {
  const socketLog = logger.child({ component: 'socket-mode' });
  // The WebClient hands retryConfig to p-retry, which calls onFailedAttempt; Slack's RetryOptions type omits it.
  const retryConfig: webApi.RetryOptions & { onFailedAttempt(err: Error & { attemptNumber?: number }): void } = {
    forever: true,
    factor: 2,
    minTimeout: slack.socket?.reconnectMinDelayMs ?? 1000,
    maxTimeout: 60_000,
    randomize: true,
    onFailedAttempt: (err) => {
      socketLog.warn('Socket Mode: could not open a connection; retrying', {
        attempt: err.attemptNumber,
        err: err.message,
      });
    },
  };
  const receiver = new SocketModeReceiver({
    appToken: slack.appToken as string,
    logger: log,
    ...(slack.socket?.clientPingTimeoutMs ? { clientPingTimeout: slack.socket.clientPingTimeoutMs } : {}),
    installerOptions: {
      clientOptions: {
        ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
        // A call with no answer counts as a failure and is retried like a 503.
        timeout: 10_000,
        retryConfig,
      },
    },
  });
  let lost = false;
  receiver.client.on('disconnected', () => {
    lost = true;
  });
  receiver.client.on('reconnecting', () => {
    lost = true;
    socketLog.warn('Socket Mode: connection lost; reconnecting');
  });
  receiver.client.on('connected', () => {
    if (lost) socketLog.info('Socket Mode: reconnected');
    lost = false;
  });
  return receiver;
}

/** Bolt's HTTP receiver behind the front door (size, timestamp, content type, payload shape; see front-door.ts). */
function guardedHttpReceiver(slack: SlackConnection, log: ReturnType<typeof boltLogger>, logger: Logger): HTTPReceiver {
  const signingSecret = slack.signingSecret as string;
  const bodyLimitBytes = slack.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: log,
    processBeforeResponse: slack.processBeforeResponse ?? false,
    bodyLimit: bodyLimitBytes,
    // The guard below verifies every request to this path with the same secret (Bolt's own verifier) before Bolt
    // sees it, so a second HMAC here would only add to each ack.
    signatureVerification: false,
  });
  return guardHttpReceiver(receiver, { signingSecret, bodyLimitBytes, path: SLACK_EVENTS_PATH, logger });
}

/**
 * A signed body that no listener acknowledges (an unknown action id, a payload type we do not serve) would wait for
 * Bolt's 3-second timeout and a 404, which Slack shows the user as an error. Acknowledge it as soon as the listeners
 * are done instead. Works for every receiver: they all hand events to `app.processEvent`.
 */
function answerUnhandledAtOnce(app: App, logger: Logger): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      acked = true;
      return event.ack(response);
    };
    await processEvent({ ...event, ack });
    if (!acked) {
      logger.info('no listener handled the request; acknowledged', { type: payloadType(event.body) });
      await event.ack();
    }
  };
}

function payloadType(body: unknown): string | undefined {
  const b = body as { type?: unknown; command?: unknown } | null;
  const type = b?.type ?? b?.command;
  return typeof type === 'string' ? type.slice(0, 64) : undefined;
}

/**
 * Says which it was: Slack refusing the token, or Slack not reached at all. "Did not accept (fetch failed)" sent people
 * to regenerate a token that was fine while their network was down (issue 9).
 */
function tokenCheckFailure(err: unknown, apiUrl: string): string {
  const e = err as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; original?: unknown };
  if (e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') {
    return `Slack did not accept SLACK_BOT_TOKEN (${e.data.error})`;
  }
  if (e.code === 'slack_webapi_http_error') {
    return `Slack could not check SLACK_BOT_TOKEN: ${apiUrl} answered HTTP ${String(e.statusCode)}; try again later`;
  }
  const cause = e.original instanceof Error ? e.original.message : messageOf(err);
  return (
    `Could not reach Slack at ${apiUrl} to check SLACK_BOT_TOKEN (${cause}): a network problem, not a rejected ` +
    'token; check the connection, a proxy, or SLACK_API_URL'
  );
}

/** Stands in for checkStatus where jobs go to a durable queue: a status job run here is a wiring mistake. */
const statusChecksRunElsewhere: CheckStatus = async () => {
  throw new Error('this app was composed without a status checker: status jobs run in the worker');
};

export class SlackSetupError extends Error {
  override readonly name = 'SlackSetupError';
}

export function createApp(deps: SlackAppDeps): SlackApp {
  const { slack, logger } = deps;
  const socketMode = Boolean(slack.appToken) && !deps.receiver;
  if (!slack.botToken) throw new SlackSetupError('SLACK_BOT_TOKEN is required');
  // Bolt checks this too; we refuse explicitly so an empty secret can never mean "verification off" (bolt PR #2946).
  if (!socketMode && !deps.receiver && !slack.signingSecret)
    throw new SlackSetupError('SLACK_SIGNING_SECRET is required for HTTP mode');

  const log = boltLogger(logger.child({ component: 'slack' }), deps.logLevel ?? 'info');
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    // Bounded: the default (10 retries over ~30 minutes) would pile up work behind one outage.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    // Web API calls run in background jobs only, so honouring Retry-After never delays an ack.
    rejectRateLimitedCalls: false,
    timeout: 10_000,
  };

  // No conversation store: nothing here keeps per-conversation state, and Bolt's default one runs on every request.
  // Deferred initialization: Bolt otherwise calls auth.test in the constructor and an invalid token becomes an
  // unhandled rejection (a crash with a stack trace); `init()` below surfaces it as a clear error instead.
  // With both bot ids known, Bolt's authorize uses them and skips auth.test (it calls it only to learn them).
  const knownBot = slack.botId && slack.botUserId;
  const common = {
    token: slack.botToken,
    logger: log,
    clientOptions,
    convoStore: false as const,
    deferInitialization: true,
    ...(knownBot ? { botId: slack.botId, botUserId: slack.botUserId, tokenVerificationEnabled: false } : {}),
  };
  const app = socketMode
    ? new App({ ...common, receiver: patientSocketReceiver(slack, log, logger), socketMode: true })
    : new App({
        ...common,
        receiver: deps.receiver ?? guardedHttpReceiver(slack, log, logger),
      });
  answerUnhandledAtOnce(app, logger);

  const allowsResponseUrl = slackResponseUrls(slack.apiUrl);
  const postToResponseUrl = deps.postToResponseUrl ?? createResponseUrlPoster({ allows: allowsResponseUrl });
  let enqueueActivation: (job: ActivationJob) => Promise<void> = async () => {
    throw new Error('activation queue not ready');
  };
  const approvalAccounts =
    deps.approval?.accounts ?? staticAccounts(deps.approval ? deps.approval.config.accounts : []);
  const approval = deps.approval
    ? createApprovalFlow({
        config: deps.approval.config,
        accounts: approvalAccounts,
        repository: deps.approval.repository,
        checkStatus: deps.checkStatus ?? statusChecksRunElsewhere,
        activateModel: deps.approval.activateModel,
        client: app.client,
        enqueueActivation: (job) => enqueueActivation(job),
        installation: slackInstallation(app.client),
        logger,
        ...(deps.approval.now ? { now: deps.approval.now } : {}),
      })
    : undefined;
  const runApprovalJob = approval
    ? createApprovalJobRunner({
        flow: approval,
        client: app.client,
        postToResponseUrl,
        allowsResponseUrl,
        responseUrls: createResponseUrlBudget(),
        logger,
      })
    : undefined;
  const shares = statusShares(
    deps.limits ?? DEFAULT_STATUS_LIMITS,
    deps.checkStatus ?? statusChecksRunElsewhere,
    deps.usage,
    deps.now,
  );
  const runJob = createSlackJobRunner({
    checkStatus: shares.checkStatus,
    client: app.client,
    postToResponseUrl,
    allowsResponseUrl,
    logger,
    ...(runApprovalJob ? { runApprovalJob } : {}),
  });
  const jobs = (deps.jobs ?? ((run) => createSlackJobLanes({ run, logger })))(runJob);
  const activationJobs = approval
    ? (
        deps.approval?.activationJobs ??
        ((run) => createInProcessJobQueue({ run, logger, describe: (job) => `activate_request ${job.requestId}` }))
      )((job) => approval.runActivationJob(job))
    : undefined;
  if (activationJobs) enqueueActivation = (job) => activationJobs.enqueue(job);

  const listenerDeps: ListenerDeps = {
    diagnose: deps.diagnose,
    jobs,
    logger,
    allowsResponseUrl,
    statusChecks: shares.limiter,
    newReference: deps.newReference ?? createReferenceMaker(),
    defaultRegion: deps.defaultRegion,
    ...(deps.misses ? { misses: { newId: randomUUID, ...deps.misses } } : {}),
    ...(deps.approval
      ? {
          approval: {
            accounts: async () =>
              (await approvalAccounts.list()).map((a) => ({
                key: accountKey(a),
                label: a.id ? `${a.alias} (${a.id})` : a.alias,
                regions: a.regions,
              })),
          },
        }
      : {}),
  };

  // Outermost, so that whatever fails below it (ledger, listeners) still gets a polite answer.
  app.use(politeFailures(logger, listenerDeps.newReference, allowsResponseUrl));
  if (slack.teamId) app.use(onlyTeam(slack.teamId, logger));

  // Slack redelivers an event when our 200 was late or lost; Bolt passes the retry along but does not dedupe.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    // A redelivery means an ack took over 3 s or was lost (often a slow cold start); the deployment alarms on this line.
    if (context.retryNum) {
      logger.warn('Slack redelivered an event', {
        eventId,
        retryNum: context.retryNum,
        retryReason: context.retryReason,
      });
    }
    if (typeof eventId === 'string') {
      const first = await deps.deliveries.claim(`slack-event:${eventId}`).catch((err: unknown) => {
        // Better a rare double answer than a lost one.
        logger.warn('delivery ledger unavailable; processing anyway', { eventId, err });
        return true;
      });
      if (!first) {
        logger.info('duplicate delivery ignored', {
          eventId,
          retryNum: context.retryNum,
          retryReason: context.retryReason,
        });
        return;
      }
    }
    await next();
  });

  registerCommands(app, listenerDeps);
  registerEvents(app, listenerDeps);
  registerActions(app, listenerDeps);
  registerViews(app, listenerDeps);

  // Errors politeFailures could not catch (Bolt's own, before the middleware chain) still reach the log.
  app.error(async (error) => {
    logger.error('unhandled error in Bolt', { err: error, code: (error as { code?: unknown }).code });
  });

  const init = async () => {
    try {
      await app.init();
    } catch (err) {
      throw new SlackSetupError(tokenCheckFailure(err, slack.apiUrl ?? 'https://slack.com/api/'), { cause: err });
    }
  };

  return { app, init, jobs, runJob, ...(approval && activationJobs ? { approval, activationJobs } : {}) };
}
