// The approval flow composed from Config: use cases over the request store, the activator, the status checker and
// Slack. The Slack app calls it; so can a queue worker (runActivationJob) and a scheduled reconciler (reconcile).
import type { webApi } from '@slack/bolt';
import { type AccountDirectory, staticAccounts } from '../access/account-registry.js';
import type { ActivateModel } from '../access/activation/activate-model.js';
import type { EnqueueActivation, Installation, RequestNotifier } from '../access/approval-ports.js';
import { isApprover } from '../access/approvers.js';
import { createDecideRequest, type DecideRequest } from '../access/decide-request.js';
import { createReconciler, type Reconcile } from '../access/reconcile-requests.js';
import { createRequestActivation, type RequestActivation } from '../access/request-activation.js';
import { type ActivationRequest, isOpenState, type RequestRepository } from '../access/request-repository.js';
import { type ActivationJobRunner, createActivationJobRunner } from '../access/run-activation-job.js';
import type { CheckStatus } from '../access/status-report.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createSlackRequestNotifier, slackApproverDirectory } from './slack-request-notifier.js';

export interface ApprovalFlowDeps {
  config: Pick<Config, 'accounts' | 'approval'> & Partial<Pick<Config, 'activation'>>;
  /** The registry the flow reads. @default config.accounts, fixed */
  accounts?: AccountDirectory;
  repository: RequestRepository;
  checkStatus: CheckStatus;
  activateModel: ActivateModel;
  client: webApi.WebClient;
  /** Puts an activation job on the queue (in-process locally, SQS in production). */
  enqueueActivation: EnqueueActivation;
  /** Who this bot is installed as; clicks from elsewhere are refused. A function is asked at the first decision. */
  installation?: Installation | (() => Promise<Installation>);
  logger: Logger;
  now?: () => number;
}

export interface ApprovalFlow {
  requestActivation: RequestActivation;
  decide: DecideRequest;
  runActivationJob: ActivationJobRunner;
  reconcile: Reconcile;
  notifier: RequestNotifier;
  /** Approvers see every open request; others their own. */
  listRequests(userId: string): Promise<{ scope: 'all' | 'own'; requests: ActivationRequest[] }>;
}

export function createApprovalFlow(deps: ApprovalFlowDeps): ApprovalFlow {
  const { config, repository, logger } = deps;
  const accounts = deps.accounts ?? staticAccounts(config.accounts);
  const notifier = createSlackRequestNotifier({
    client: deps.client,
    config,
    accounts,
    setApprovalMessage: (id, message) => repository.setApprovalMessage(id, message),
    logger,
  });
  const directory = slackApproverDirectory(deps.client);
  const approverDeps = { settings: config.approval, directory, installation: deps.installation };
  const runActivationJob = createActivationJobRunner({
    ...approverDeps,
    accounts,
    repository,
    notifier,
    activateModel: deps.activateModel,
    logger,
  });
  return {
    notifier,
    runActivationJob,
    requestActivation: createRequestActivation({
      config,
      accounts,
      checkStatus: deps.checkStatus,
      repository,
      notifier,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    decide: createDecideRequest({
      ...approverDeps,
      config,
      accounts,
      repository,
      notifier,
      enqueueActivation: deps.enqueueActivation,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    reconcile: createReconciler({
      config,
      accounts,
      repository,
      notifier,
      enqueueActivation: deps.enqueueActivation,
      running: () => runActivationJob.running(),
      ...(deps.now ? { now: deps.now } : {}),
      logger,
    }),
    async listRequests(userId) {
      if (await isApprover({ settings: config.approval, directory }, await accounts.list(), userId)) {
        return { scope: 'all', requests: await repository.listOpen() };
      }
      const mine = await repository.listByRequester(userId);
      return { scope: 'own', requests: mine.filter((r) => isOpenState(r.state)) };
    },
  };
}

/**
 * Who the bot is installed as, asked of Slack (auth.test) at the first decision rather than at start (a start with
 * known bot ids makes no Slack call). A failed ask is tried again at the next decision.
 */
export function slackInstallation(client: webApi.WebClient): () => Promise<Installation> {
  let installed: Promise<Installation> | undefined;
  return () => {
    installed ??= client.auth.test().then(
      (me) => ({
        ...(typeof me.team_id === 'string' ? { teamId: me.team_id } : {}),
        ...(typeof me.enterprise_id === 'string' && me.enterprise_id ? { enterpriseId: me.enterprise_id } : {}),
        ...(typeof me.app_id === 'string' ? { appId: me.app_id } : {}),
      }),
      (err: unknown) => {
        installed = undefined;
        throw err;
      },
    );
    return installed;
  };
}
