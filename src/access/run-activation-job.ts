// The activation job: reloads the request, checks the approver is still one, moves APPROVED → ACTIVATING, runs the
// resumable activator as the approver and records every step. Run again after a crash (by the reconciler or a
// queue retry) it resumes: the activator skips what AWS already has, so there is never a second agreement.

import { findAccount } from '../config.js';
import { isUserFacingError } from '../errors.js';
import type { Logger } from '../log.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import type { ActivateModel, ActivationProgress } from './activation/activate-model.js';
import { ActivationErrorReason, isActivationError } from './activation/activation-errors.js';
import { type ActivationJob, type RequestNotifier, SYSTEM_ACTORS } from './approval-ports.js';
import type { ApproverCheckDeps } from './approvers.js';
import { approverRefusal, GROUP_UNREADABLE } from './approvers.js';
import type { ActivationRequest, RequestError, RequestRepository } from './request-repository.js';

/** Runs of one activation AWS may throttle (each after the SDK's own retries) before the request fails. */
export const MAX_THROTTLED_RUNS = 5;

export interface RunActivationDeps extends ApproverCheckDeps {
  accounts: AccountDirectory;
  repository: RequestRepository;
  notifier: RequestNotifier;
  activateModel: ActivateModel;
  logger: Logger;
}

export interface ActivationJobRunner {
  (job: ActivationJob): Promise<void>;
  /** Requests whose activation runs in this process now (the reconciler leaves them alone). */
  running(): ReadonlySet<string>;
}

export function createActivationJobRunner(deps: RunActivationDeps): ActivationJobRunner {
  const running = new Set<string>();
  const runner = async (job: ActivationJob) => {
    if (running.has(job.requestId)) return;
    running.add(job.requestId);
    try {
      await activate(deps, job.requestId);
    } finally {
      running.delete(job.requestId);
    }
  };
  return Object.assign(runner, { running: () => running });
}

async function activate(deps: RunActivationDeps, requestId: string): Promise<void> {
  const log = deps.logger.child({ requestId, job: 'activate_request' });
  let request = await deps.repository.get(requestId);
  if (!request || (request.state !== 'APPROVED' && request.state !== 'ACTIVATING')) {
    log.info('nothing to activate', { state: request?.state ?? 'missing' });
    return;
  }
  const approver = request.decidedBy;
  const account = findAccount(await snapshotOf(deps.accounts), request.accountId);
  // Approval rights are read again now: someone removed from the approvers since the click does not activate.
  const refusal = approver
    ? await approverRefusal({ ...deps, installation: undefined }, request, account, approver, 'approve')
    : 'No approver is recorded.';
  if (refusal === GROUP_UNREADABLE) {
    // Not a verdict: the request stays as it is and the reconciler runs the job again.
    log.warn('approver group unreadable; activation left for the reconciler');
    return;
  }
  if (refusal || !approver) {
    await fail(deps, request, { code: 'APPROVER_NOT_AUTHORIZED', message: `The approval no longer holds: ${refusal}` });
    return;
  }
  if (!account) {
    await fail(deps, request, {
      code: 'ACCOUNT_NOT_REGISTERED',
      message: `Account ${request.accountId} is no longer registered.`,
    });
    return;
  }
  if (request.state === 'APPROVED') {
    const started = await deps.repository.transition(request.id, {
      from: 'APPROVED',
      to: 'ACTIVATING',
      expectedVersion: request.version,
      actor: SYSTEM_ACTORS.worker,
    });
    if (!started.ok) {
      log.info('another worker started this activation', { reason: started.reason });
      return;
    }
    request = started.request;
    // Not awaited: the activator starts now; the card's updates queue up behind each other on their own.
    deps.notifier.refreshCard(request).catch((err: unknown) => log.warn('could not update the card', { err }));
  }
  const version = request.version;

  // Steps are stored and shown one after another, off the activator's path, so Slack never slows AWS down. Each
  // step's outcome is kept; of the "started" events only the wait for AWS, the one long step people watch.
  let recorded: Promise<void> = Promise.resolve();
  const onProgress = (p: ActivationProgress) => {
    if (p.status === 'started' && p.step !== 'wait_until_available') return;
    recorded = recorded
      .then(async () => {
        const saved = await deps.repository.recordProgress(requestId, version, {
          step: p.step,
          status: p.status,
          ...(p.detail ? { detail: p.detail } : {}),
        });
        if (saved.ok) await deps.notifier.refreshCard(saved.request);
      })
      .catch((err: unknown) => log.warn('could not record an activation step', { err }));
  };

  let outcome: Awaited<ReturnType<ActivateModel>>;
  try {
    outcome = await deps.activateModel({
      requestId: request.id,
      modelRef: request.baseModelId,
      account: account.id ?? account.alias,
      region: request.region,
      approver: approver.userId,
      requester: request.requester.userId,
      onProgress,
    });
  } catch (err) {
    await recorded;
    if (isActivationError(err) && err.reason === ActivationErrorReason.Throttled) {
      // Throttled past the SDK's retries, nothing half-done: the request stays ACTIVATING and runs again later (the
      // reconciler, or the worker's delayed job), a bounded number of times, rather than ending an approved request.
      const runs = (await deps.repository.auditTrail(requestId)).filter((e) => e.action === 'throttled').length + 1;
      if (runs < MAX_THROTTLED_RUNS) {
        log.info('activation throttled; it runs again later', { run: runs });
        await deps.repository.recordAuditNote(requestId, {
          actor: SYSTEM_ACTORS.worker,
          action: 'throttled',
          note: err.message,
        });
        return;
      }
    }
    const known = isActivationError(err) || isUserFacingError(err);
    if (!known) log.error('activation failed unexpectedly', { err });
    const code = isActivationError(err) ? err.reason : known ? 'INVALID' : 'INTERNAL';
    const message = known
      ? (err as Error).message
      : 'The activation stopped on an unexpected error; the bot logs have the details.';
    await fail(deps, (await deps.repository.get(requestId)) ?? request, { code, message });
    return;
  }
  await recorded;
  const now = request;
  if (outcome.outcome === 'ACTIVE' || outcome.outcome === 'ALREADY_ACTIVE') {
    const done = await deps.repository.transition(requestId, {
      from: 'ACTIVATING',
      to: 'ACTIVE',
      actor: SYSTEM_ACTORS.worker,
      note: outcome.message,
    });
    if (done.ok) await finish(deps, done.request);
    return;
  }
  if (outcome.outcome === 'FAILED') {
    await fail(deps, now, { code: 'AGREEMENT_ERROR', message: outcome.message });
    return;
  }
  // Still pending at the deadline: the request stays ACTIVATING and the reconciler carries on later.
  log.info('activation still pending at the deadline; the reconciler will resume it');
  await deps.repository.recordAuditNote(requestId, {
    actor: SYSTEM_ACTORS.worker,
    action: 'still_pending',
    note: outcome.message,
  });
  await deps.notifier.refreshCard((await deps.repository.get(requestId)) ?? now);
}

async function fail(deps: RunActivationDeps, request: ActivationRequest, error: RequestError): Promise<void> {
  if (request.state !== 'APPROVED' && request.state !== 'ACTIVATING') return;
  const result = await deps.repository.transition(request.id, {
    from: request.state,
    to: 'FAILED',
    actor: SYSTEM_ACTORS.worker,
    note: error.message,
    patch: { error },
  });
  if (result.ok) await finish(deps, result.request);
}

async function finish(deps: RunActivationDeps, request: ActivationRequest): Promise<void> {
  await deps.notifier.refreshCard(request);
  await deps.notifier.requestEnded(request);
}
