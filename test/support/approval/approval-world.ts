// Everything the approval flow runs on, real at the protocol level: the fake AWS (driven by the real SDK), the
// embedded store (dynalite, real dynamoose), the real Bolt receiver and the fake Slack Web API.

import type { AccountDirectory } from '../../../src/access/account-registry.js';
import type { ActivationRequest } from '../../../src/access/request-repository.js';
import type { ApprovalSettings, Config } from '../../../src/config.js';
import type { Diagnosis } from '../../../src/diagnosis/types.js';
import { silentLogger } from '../../../src/log.js';
import { type AccessServices, createAccessServices } from '../../../src/runtime/compose-access.js';
import { ACTION, VIEW } from '../../../src/slack/action-ids.js';
import { openStore, type Store } from '../../../src/store/open-store.js';
import { type FakeAws, startFakeAws } from '../../fakes/aws/server.js';
import {
  createStandardWorld,
  fakeEnv,
  type StandardWorld,
  type StandardWorldOptions,
  testConfig,
  VETTED_FORM,
} from '../../fakes/aws/standard-world.js';
import { aDiagnosis } from '../slack/fixtures.js';
import { type ClickerFields, cardButtonPayload, signInteraction, viewSubmissionPayload } from '../slack/signer.js';
import { SIGNING_SECRET, type SlackHarness, startSlackHarness } from '../slack/slack-harness.js';

export const APPROVER_CHANNEL = 'C0APPROVE1';
export const APPROVER = 'U0APPROVER1';
export const GROUP_APPROVER = 'U0GROUPAP1';
export const APPROVER_GROUP = 'S0APPROVERS';
export const REQUESTER = 'U0REQUEST1';
export const FORM_FILE = '/config/use-case-form.json';

export interface ApprovalWorld {
  std: StandardWorld;
  fake: FakeAws;
  access: AccessServices;
  store: Store;
  h: SlackHarness;
  config: Pick<Config, 'accounts' | 'approval' | 'activation' | 'defaultRegion'>;
  /** Submits the request modal as `userId`; waits for the background work. */
  submitRequest(fields: {
    model: string;
    account?: string;
    region?: string;
    reason?: string;
    userId?: string;
  }): Promise<{ status: number; text: string }>;
  /** Presses a card button (Approve, Cancel request …) carrying `requestId`. */
  press(
    actionId: string,
    requestId: string,
    who?: ClickerFields,
    settle?: boolean,
  ): Promise<{ status: number; text: string }>;
  /** Submits the reject modal for `requestId` with `reason`. */
  reject(requestId: string, reason: string, who?: ClickerFields): Promise<{ status: number; text: string }>;
  /** The one request stored for a model. */
  requestFor(model: string): Promise<ActivationRequest>;
  /** Messages posted or updated in a channel, as [method, args]. */
  messagesIn(channel: string): Array<{ method: string; args: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface ApprovalWorldOptions extends StandardWorldOptions {
  approval?: Partial<ApprovalSettings>;
  activation?: Partial<Config['activation']>;
  /** The registry the bot reads, made from the store. @default the standard world's accounts, fixed */
  accounts?: (store: Store) => AccountDirectory;
  /** Reuse a store (a "restarted process" shares the data). */
  store?: Store;
  now?: () => number;
  concurrency?: number;
  quiet?: boolean;
  /** @default a fixed diagnosis (tests of the flow do not exercise the engine) */
  diagnose?: (text: string) => Diagnosis;
}

let responseCounter = 0;

export async function startApprovalWorld(options: ApprovalWorldOptions = {}): Promise<ApprovalWorld> {
  const std = createStandardWorld({ settleMs: 40, ...options });
  std.accounts[0] = { ...std.accounts[0], approverChannel: APPROVER_CHANNEL } as (typeof std.accounts)[number];
  const fake = await startFakeAws(std.world);
  const base = testConfig(std.accounts, { useCaseFormFile: FORM_FILE, ...options.activation });
  const config = {
    ...base,
    approval: {
      approverUserIds: [APPROVER],
      approverGroupId: APPROVER_GROUP,
      allowSelfApproval: false,
      blockedModels: [],
      remindAfterMs: 3_600_000,
      expireAfterMs: 72 * 3_600_000,
      reconcileIntervalMs: 60_000,
      // Tests of the flow open many requests as one requester; request-pacing.test.ts tests the hourly bound.
      requestsPerUserPerHour: 1000,
      ...options.approval,
    },
  };
  const store =
    options.store ??
    (await openStore(
      { defaultRegion: 'us-east-1', store: { dataDir: '', requestTtlDays: 90, idempotencyTtlHours: 24 } },
      // One clock for the store and the reconciler, so tests can move time for both.
      {
        logger: silentLogger,
        inMemory: true,
        ...(options.now ? { now: () => new Date((options.now as () => number)()) } : {}),
      },
    ));
  const accounts = options.accounts?.(store);
  const access = createAccessServices(config, {
    env: fakeEnv(fake, std.bot),
    maxAttempts: 1,
    ...(accounts ? { accounts } : {}),
    readFile: (path) => {
      if (path !== FORM_FILE) throw new Error(`ENOENT: ${path}`);
      return JSON.stringify(VETTED_FORM);
    },
  });
  const h = await startSlackHarness({
    diagnose: options.diagnose ?? (() => aDiagnosis()),
    checkStatus: access.checkStatus,
    approval: {
      config,
      repository: store.repository,
      activateModel: access.activateModel,
      ...(accounts ? { accounts } : {}),
      ...(options.now ? { now: options.now } : {}),
    },
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.quiet ? { quiet: true } : {}),
  });
  h.slackApi.usergroups.set(APPROVER_GROUP, [GROUP_APPROVER]);

  const send = async (payload: Record<string, unknown>, settle = true) => {
    const res = await h.send(signInteraction(SIGNING_SECRET, payload));
    if (settle) await h.settle();
    return res;
  };

  return {
    std,
    fake,
    access,
    store,
    h,
    config,
    submitRequest: (f) =>
      send(
        viewSubmissionPayload(
          VIEW.requestModal,
          {
            model: f.model,
            account: f.account ?? std.accounts[0]?.id ?? '',
            region: f.region ?? 'us-east-1',
            reason: f.reason ?? 'Summarising support tickets for the help desk team.',
          },
          { userId: f.userId ?? REQUESTER },
        ),
      ),
    press: (actionId, requestId, who = {}, settle = true) =>
      send(cardButtonPayload(actionId, requestId, h.slackApi.responseUrl(`press-${++responseCounter}`), who), settle),
    reject: (requestId, reason, who = {}) =>
      send(
        viewSubmissionPayload(
          VIEW.rejectModal,
          { reason },
          {
            userId: APPROVER,
            ...who,
            privateMetadata: JSON.stringify({ id: requestId, c: APPROVER_CHANNEL }),
            selects: [],
          },
        ),
      ),
    async requestFor(model) {
      const [found] = await store.repository.listByModel(std.accounts[0]?.id ?? '', 'us-east-1', model);
      if (!found) throw new Error(`no request stored for ${model}`);
      return found;
    },
    messagesIn: (channel) =>
      h.slackApi.calls
        .filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === channel)
        .map((c) => ({ method: c.method, args: c.args })),
    async close() {
      await h.stop();
      access.close();
      await fake.close();
      if (!options.store) await store.close();
    },
  };
}

export { ACTION };
