// "I need this model": checks status first, and only then refuses, says it is usable, joins an open request or
// opens one and posts the approval card. Pure logic over ports: status checker, request store, notifier.
import { type Account, type ApprovalSettings, findAccount } from '../config.js';
import { providerOf } from '../diagnosis/providers.js';
import { isUserFacingError } from '../errors.js';
import { redactSecrets } from '../redact.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import type { RequestNotifier } from './approval-ports.js';
import { findBlock } from './blocked-models.js';
import { parseModelRef } from './model-ref.js';
import {
  DEFAULT_REQUEST_COOLDOWN_MS,
  DEFAULT_REQUESTS_PER_USER_PER_HOUR,
  waitBeforeOpening,
} from './request-pacing.js';
import { type ActivationRequest, isOpenState, type RequestRepository } from './request-repository.js';
import type { CheckStatus, StatusReport } from './status-report.js';

export interface RequestActivationInput {
  modelRef: string;
  /** Account id or alias; the default account when absent. */
  account?: string;
  region?: string;
  reason: string;
  requester: { userId: string; teamId?: string; channelId?: string };
}

export type RequestActivationOutcome =
  | { kind: 'usable'; message: string; report: StatusReport }
  | { kind: 'refused'; message: string; report?: StatusReport }
  | { kind: 'not_managed'; message: string }
  | { kind: 'joined'; request: ActivationRequest; cardLink?: string }
  | { kind: 'opened'; request: ActivationRequest; cardLink?: string; cardPosted: boolean };

export interface RequestActivationDeps {
  config: {
    approval: Pick<
      ApprovalSettings,
      'approverChannel' | 'blockedModels' | 'requestCooldownMs' | 'requestsPerUserPerHour'
    >;
  };
  accounts: AccountDirectory;
  checkStatus: CheckStatus;
  repository: RequestRepository;
  notifier: RequestNotifier;
  /** @default Date.now */
  now?: () => number;
}

export type RequestActivation = (input: RequestActivationInput) => Promise<RequestActivationOutcome>;

const USABLE = ['READY', 'NO_ACTIVATION_NEEDED'];
const REFUSED = ['LEGACY', 'NOT_FOUND', 'NOT_IN_REGION', 'CHECK_FAILED'];

export function createRequestActivation(deps: RequestActivationDeps): RequestActivation {
  return async (input) => {
    let ref: ReturnType<typeof parseModelRef>;
    try {
      ref = parseModelRef(input.modelRef);
    } catch (err) {
      if (isUserFacingError(err)) return { kind: 'refused', message: err.message };
      throw err;
    }
    // An ARN names its account: a request for an account outside the registry is not ours to act on.
    const arnAccount = /^arn:[^:]+:bedrock:[^:]*:(\d{12}):/.exec(ref.ref)?.[1];
    // The ARN's account wins over the one chosen in the form: it is where the model would be called.
    const accountRef = arnAccount ?? input.account;
    const account = findAccount(await snapshotOf(deps.accounts), accountRef);
    if (!account) {
      return {
        kind: 'not_managed',
        message: `Account ${accountRef ?? '(unknown)'} is not managed by this bot, so I cannot request activation there. Ask that account's AWS admins.`,
      };
    }
    const blocked = ref.baseModelId ? findBlock(deps.config.approval.blockedModels, ref.baseModelId) : undefined;
    if (blocked) {
      return {
        kind: 'refused',
        message: `${ref.baseModelId} is on this organisation's list of models that are not activated: ${blocked.reason}`,
      };
    }
    const channel = account.approverChannel ?? deps.config.approval.approverChannel;
    if (!channel) {
      return {
        kind: 'refused',
        message: `No approver channel is set up for account ${account.alias}, so nobody could approve a request. Ask the bot's admins to set SLACK_APPROVER_CHANNEL or the account's "approverChannel".`,
      };
    }

    let report: StatusReport;
    try {
      report = await deps.checkStatus({
        modelRef: ref.ref,
        account: account.id ?? account.alias,
        ...(input.region ? { regions: [input.region] } : {}),
      });
    } catch (err) {
      if (isUserFacingError(err)) return { kind: 'refused', message: err.message };
      throw err;
    }
    if (USABLE.includes(report.verdict)) {
      return { kind: 'usable', message: `${report.title}. ${report.explanation} No request is needed.`, report };
    }
    if (REFUSED.includes(report.verdict)) {
      return { kind: 'refused', message: `${report.title}. ${report.explanation}`, report };
    }
    const baseModelId = report.baseModelId ?? ref.baseModelId;
    if (!baseModelId) return { kind: 'refused', message: report.explanation, report };
    // An application inference profile names its model only once AWS resolves it: the deny-list applies to it too.
    const blockedBehind = findBlock(deps.config.approval.blockedModels, baseModelId);
    if (blockedBehind) {
      return {
        kind: 'refused',
        message: `${baseModelId} is on this organisation's list of models that are not activated: ${blockedBehind.reason}`,
        report,
      };
    }
    const region =
      input.region ?? report.regions.find((r) => !USABLE.includes(r.verdict))?.region ?? account.regions[0];
    const history = await deps.repository.listByModel(accountKey(account), region ?? 'us-east-1', baseModelId);
    const joining = history.some((r) => isOpenState(r.state));
    if (report.verdict === 'ACTIVATION_PENDING') {
      // AWS is settling an agreement already: join the request behind it if there is one, else just say so.
      if (!joining) {
        return {
          kind: 'usable',
          message: `${report.title}. ${report.explanation} It should work within about 2 minutes (at most 15); no request is needed.`,
          report,
        };
      }
    }
    // Joining an open request posts no new card; opening one does, so only that is paced.
    const wait = joining
      ? undefined
      : await waitBeforeOpening(
          deps.repository,
          {
            cooldownMs: deps.config.approval.requestCooldownMs ?? DEFAULT_REQUEST_COOLDOWN_MS,
            perHour: deps.config.approval.requestsPerUserPerHour ?? DEFAULT_REQUESTS_PER_USER_PER_HOUR,
          },
          { userId: input.requester.userId, baseModelId, history },
          (deps.now ?? Date.now)(),
        );
    if (wait) return { kind: 'refused', message: wait, report };
    const { request, joined } = await deps.repository.openOrJoin({
      accountId: accountKey(account),
      region: region ?? 'us-east-1',
      modelRef: ref.ref,
      baseModelId,
      provider: report.providerName ?? providerOf(baseModelId)?.name ?? baseModelId.split('.')[0] ?? 'unknown',
      requester: input.requester,
      // Slack's listener redacts already and tells the writer; this keeps secrets out of the store whatever the entry.
      reason: redactSecrets(input.reason).text,
      ...(report.offer
        ? {
            offer: {
              summary: report.offer.pricing.join('\n') || 'No price lines were published with the offer.',
              ...(report.offer.termsUrl ? { termsUrl: report.offer.termsUrl } : {}),
            },
          }
        : {}),
    });
    if (joined) {
      // The card shows "also asked by …"; a failed refresh leaves the join stored all the same.
      await deps.notifier.refreshCard(request);
      return { kind: 'joined', request, cardLink: await deps.notifier.cardLink(request) };
    }
    const posted = await deps.notifier.postCard(request, channel);
    const stored = posted ? ((await deps.repository.setApprovalMessage(request.id, posted)) ?? request) : request;
    return { kind: 'opened', request: stored, cardLink: await deps.notifier.cardLink(stored), cardPosted: !!posted };
  };
}

/** How an account is named in stored requests: its id, or the alias of an unnamed default account. */
export function accountKey(account: Account): string {
  return account.id ?? account.alias;
}
