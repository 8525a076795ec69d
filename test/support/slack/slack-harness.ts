// Starts the real Bolt HTTP receiver on 127.0.0.1:0, composed by the app's own composition root (composeSlackApp)
// from a Config, wired to a fake Slack Web API.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MissStore } from '../../../src/access/diagnosis-misses.js';
import type { CheckStatus } from '../../../src/access/status-report.js';
import { loadConfig } from '../../../src/config.js';
import type { Diagnosis } from '../../../src/diagnosis/types.js';
import { type InProcessJobQueue, JobQueueFullError } from '../../../src/jobs/job-queue.js';
import { createLogger, type Logger } from '../../../src/log.js';
import { composeSlackApp } from '../../../src/runtime/compose-slack.js';
import { type ApprovalDeps, SLACK_EVENTS_PATH, type SlackApp } from '../../../src/slack/create-app.js';
import { createMemoryDeliveryLedger, type DeliveryLedger } from '../../../src/slack/delivery-ledger.js';
import { createSlackJobLanes, type SlackJob } from '../../../src/slack/slack-jobs.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';
import type { SignedRequest } from './signer.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-0000-token';

export interface HarnessOptions {
  diagnose: (text: string) => Diagnosis;
  checkStatus: CheckStatus;
  slackApi?: FakeSlackApi;
  processBeforeResponse?: boolean;
  teamId?: string;
  /** @default an in-memory ledger */
  deliveries?: DeliveryLedger;
  /** When it returns true, `enqueue` rejects as a full queue would (the job is not run). */
  refuseJobs?: () => boolean;
  /** When it returns true, the app's event processing throws (an uncaught error in the request path). */
  failProcessing?: () => boolean;
  /** More settings, as environment variables (e.g. SLACK_BOT_ID). */
  env?: Record<string, string>;
  /** Wires the approval flow (request store, activator, and the accounts and approval settings to use). */
  approval?: ApprovalDeps;
  /** Where "Not what happened?" holds and keeps pastes (e.g. an embedded store's `misses`). */
  misses?: MissStore;
  /** @default 4 */
  concurrency?: number;
  /** Keep only warnings and errors in `logs` (benchmarks). @default false */
  quiet?: boolean;
  /** The app's clock for status shares and the status cache. @default Date.now */
  now?: () => number;
}

export interface SlackHarness {
  slackApi: FakeSlackApi;
  slack: SlackApp;
  jobs: InProcessJobQueue<SlackJob>;
  url: string;
  /** Structured log lines written during the test. */
  logs: Array<Record<string, unknown>>;
  logger: Logger;
  send(request: SignedRequest, extraHeaders?: Record<string, string>): Promise<{ status: number; text: string }>;
  /** Waits for background jobs to finish. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSlackHarness(options: HarnessOptions): Promise<SlackHarness> {
  const slackApi = options.slackApi ?? (await startFakeSlackApi());
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: options.quiet ? 'warn' : 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  let jobs: InProcessJobQueue<SlackJob> | undefined;
  const config = loadConfig({
    LOG_LEVEL: 'debug',
    AWS_REGION: 'us-east-1',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApi.apiUrl,
    ...(options.teamId ? { SLACK_TEAM_ID: options.teamId } : {}),
    ...options.env,
  });
  const slack = composeSlackApp(config, {
    logger,
    transport: { kind: 'http' },
    diagnose: options.diagnose,
    checkStatus: options.checkStatus,
    deliveries: options.deliveries ?? createMemoryDeliveryLedger(),
    processBeforeResponse: options.processBeforeResponse ?? false,
    ...(options.approval ? { approval: options.approval } : {}),
    ...(options.misses ? { misses: options.misses } : {}),
    ...(options.now ? { now: options.now } : {}),
    jobs: (run) => {
      // The app's own lanes (status checks apart), with the concurrency asked for.
      jobs = createSlackJobLanes({ run, logger, concurrency: options.concurrency ?? 4 });
      const queue = jobs;
      const refuse = options.refuseJobs;
      return refuse
        ? {
            enqueue: (job) =>
              refuse() ? Promise.reject(new JobQueueFullError('job queue is full')) : queue.enqueue(job),
          }
        : queue;
    },
  });
  // Count events Bolt is still processing: it acks Events API deliveries before running listeners, so "the HTTP
  // response came back" does not mean "the listener has enqueued its job". settle() waits for both.
  let inFlight = 0;
  const processEvent = slack.app.processEvent.bind(slack.app);
  slack.app.processEvent = async (event) => {
    inFlight += 1;
    try {
      if (options.failProcessing?.()) throw new Error('injected failure in the request path');
      return await processEvent(event);
    } finally {
      inFlight -= 1;
    }
  };
  await slack.init();
  const server = (await slack.app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
  const queue = jobs as InProcessJobQueue<SlackJob>;
  const activations = slack.activationJobs as InProcessJobQueue<unknown> | undefined;
  const settle = async () => {
    do {
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 2));
      await queue.idle();
      await activations?.idle();
    } while (inFlight > 0 || queue.size > 0 || (activations?.size ?? 0) > 0);
  };

  return {
    slackApi,
    slack,
    jobs: queue,
    url,
    logs,
    logger,
    async send(request, extraHeaders = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...request.headers, ...extraHeaders },
        body: request.body,
      });
      return { status: res.status, text: await res.text() };
    },
    settle,
    async stop() {
      await settle();
      await slack.app.stop();
      if (!options.slackApi) await slackApi.close();
    },
  };
}
