// Starts the real Bolt HTTP receiver (through createApp) on 127.0.0.1:0, wired to a fake Slack Web API.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckStatus } from '../../../src/access/status-report.js';
import type { Diagnosis } from '../../../src/diagnosis/types.js';
import { createInProcessJobQueue, type InProcessJobQueue } from '../../../src/jobs/job-queue.js';
import { createLogger, type Logger } from '../../../src/log.js';
import { createApp, SLACK_EVENTS_PATH, type SlackApp } from '../../../src/slack/create-app.js';
import { createMemoryDeliveryLedger } from '../../../src/slack/delivery-ledger.js';
import type { SlackJob } from '../../../src/slack/slack-jobs.js';
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
    level: 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  let jobs: InProcessJobQueue<SlackJob> | undefined;
  const slack = createApp({
    diagnose: options.diagnose,
    checkStatus: options.checkStatus,
    deliveries: createMemoryDeliveryLedger(),
    logger,
    logLevel: 'debug',
    defaultRegion: 'us-east-1',
    slack: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: slackApi.apiUrl,
      processBeforeResponse: options.processBeforeResponse ?? false,
      ...(options.teamId ? { teamId: options.teamId } : {}),
    },
    jobs: (run) => {
      jobs = createInProcessJobQueue({ run, logger, concurrency: 4 });
      return jobs;
    },
  });
  await slack.init();
  const server = (await slack.app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
  const queue = jobs as InProcessJobQueue<SlackJob>;

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
    settle: () => queue.idle(),
    async stop() {
      await queue.idle();
      await slack.app.stop();
      if (!options.slackApi) await slackApi.close();
    },
  };
}
