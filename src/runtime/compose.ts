// The composition root: everything an entry point needs, built once from Config. An entry point (local server,
// CLI, tests' harness, Lambda handlers) chooses only its transport, its job queue and its store mode.
//
//   compose(config, …)        store + access services + Slack app  (local server, tests)
//   ├─ openStore              src/store/open-store.ts       embedded dynalite (loaded lazily) | external DynamoDB
//   ├─ createAccessServices   src/runtime/compose-access.ts Bedrock/STS adapters → status checker, activator
//   └─ composeSlackApp        src/runtime/compose-slack.ts  Bolt app over http | socket | a receiver passed in
//
// The parts are exported on their own for entry points that need less: the CLI composes access services only, and
// the Slack-facing Lambda composes the store and the Slack app without the AWS adapters.
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { Config } from '../config.js';
import { messageOf } from '../errors.js';
import type { InProcessJobQueue, JobQueue, JobRunner } from '../jobs/job-queue.js';
import type { Logger } from '../log.js';
import type { SlackApp } from '../slack/create-app.js';
import { storeDeliveryLedger } from '../slack/delivery-ledger.js';
import type { SlackJob } from '../slack/slack-jobs.js';
import { openStore, type Store, type StoreMode } from '../store/open-store.js';
import { accountDirectoryFor } from './account-directory.js';
import { type AccessServiceOptions, type AccessServices, createAccessServices } from './compose-access.js';
import { composeSlackApp, type SlackTransport } from './compose-slack.js';

export type { SlackTransport } from './compose-slack.js';

export interface ComposeOptions {
  logger: Logger;
  /** Where the AWS SDK reads endpoint overrides and static keys (process.env for `npm start`). */
  env: Record<string, string | undefined>;
  transport: SlackTransport;
  /** @default the mode the config names (embedded unless a DynamoDB endpoint or table prefix is set) */
  store?: { mode?: StoreMode; inMemory?: boolean; client?: DynamoDB };
  /** @default an in-process queue running jobs here */
  jobs?: (run: JobRunner<SlackJob>) => JobQueue<SlackJob>;
  /** Extra options for the AWS adapters (timeouts, a clock). */
  access?: Omit<AccessServiceOptions, 'env'>;
  /** @default false */
  processBeforeResponse?: boolean;
}

export interface Composed {
  store: Store;
  access: AccessServices;
  slack: SlackApp;
  /**
   * Waits until no job runs or waits on any in-process queue (Slack jobs and activations), then closes the AWS
   * clients and the store (LevelDB keeps a lock file): closing under a running activation would cut it mid-way.
   */
  close(): Promise<void>;
}

/** A part of the app that could not be built; its message names what to fix. */
export class CompositionError extends Error {
  override readonly name = 'CompositionError';
}

export async function compose(config: Config, options: ComposeOptions): Promise<Composed> {
  const { logger } = options;
  let store: Store;
  try {
    store = await openStore(config, { logger, ...options.store });
  } catch (err) {
    throw new CompositionError(`Could not open the state store (${messageOf(err)}).`, { cause: err });
  }
  const accounts = accountDirectoryFor(config, store.accounts);
  const access = createAccessServices(config, {
    ...options.access,
    env: options.env,
    lease: store.lease,
    accounts,
  });
  const closeParts = async () => {
    access.close();
    await store.close();
  };
  let slack: SlackApp;
  try {
    slack = composeSlackApp(config, {
      logger,
      transport: options.transport,
      deliveries: storeDeliveryLedger(store.repository),
      usage: store.usage,
      checkStatus: access.checkStatus,
      ...(options.jobs ? { jobs: options.jobs } : {}),
      ...(options.processBeforeResponse !== undefined ? { processBeforeResponse: options.processBeforeResponse } : {}),
      approval: { repository: store.repository, accounts, activateModel: access.activateModel },
      misses: store.misses,
    });
  } catch (err) {
    await closeParts();
    throw err;
  }
  return {
    store,
    access,
    slack,
    async close() {
      try {
        await idleAll([slack.jobs, slack.activationJobs]);
      } finally {
        await closeParts();
      }
    },
  };
}

/** Resolves once every in-process queue is idle at the same time: a Slack job can enqueue an activation. */
async function idleAll(queues: Array<JobQueue<never> | undefined>): Promise<void> {
  const local = queues.filter((q): q is InProcessJobQueue<never> => q !== undefined && 'idle' in q);
  do await Promise.all(local.map((q) => q.idle()));
  while (local.some((q) => q.size > 0));
}
