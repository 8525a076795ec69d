// The reconciler: one function, run every RECONCILE_INTERVAL_SECONDS by the local server (and by a schedule in
// production). It re-drives approved activations whose job died, reminds approvers of waiting requests, posts a
// card Slack refused earlier, and expires requests nobody decided.
import type { ApprovalSettings } from '../config.js';
import { findAccount } from '../config.js';
import type { Logger } from '../log.js';
import { type AccountDirectory, snapshotOf } from './account-registry.js';
import type { EnqueueActivation, RequestNotifier } from './approval-ports.js';
import { SYSTEM_ACTORS } from './approval-ports.js';
import { expireRequest, isOverdue } from './request-expiry.js';
import type { ActivationRequest, RequestRepository } from './request-repository.js';

export interface ReconcileDeps {
  accounts: AccountDirectory;
  config: {
    approval: Pick<ApprovalSettings, 'approverChannel' | 'remindAfterMs' | 'expireAfterMs' | 'reconcileIntervalMs'>;
  };
  repository: RequestRepository;
  notifier: RequestNotifier;
  enqueueActivation: EnqueueActivation;
  /** Requests activating in this process right now. */
  running?: () => ReadonlySet<string>;
  now?: () => number;
  logger: Logger;
}

export interface ReconcileReport {
  redriven: string[];
  reminded: string[];
  expired: string[];
  cardsPosted: string[];
}

export type Reconcile = () => Promise<ReconcileReport>;

export function createReconciler(deps: ReconcileDeps): Reconcile {
  const now = deps.now ?? Date.now;
  const { remindAfterMs, expireAfterMs, reconcileIntervalMs } = deps.config.approval;
  return async () => {
    const report: ReconcileReport = { redriven: [], reminded: [], expired: [], cardsPosted: [] };
    for (const request of await deps.repository.listOpen()) {
      try {
        if (request.state === 'REQUESTED') await pending(request, report);
        else if (!deps.running?.().has(request.id) && now() - Date.parse(request.updatedAt) >= reconcileIntervalMs) {
          // No word from its job for a whole interval: it died (or is waiting on AWS elsewhere; running it again
          // is harmless, the activator reads AWS's state first).
          await deps.enqueueActivation({ kind: 'activate_request', requestId: request.id });
          report.redriven.push(request.id);
        }
      } catch (err) {
        deps.logger.warn('could not reconcile a request', { requestId: request.id, err });
      }
    }
    if (Object.values(report).some((ids) => ids.length > 0)) deps.logger.info('reconciled', { ...report });
    return report;
  };

  async function pending(request: ActivationRequest, report: ReconcileReport): Promise<void> {
    const age = now() - Date.parse(request.createdAt);
    if (isOverdue(request, expireAfterMs, now())) {
      const result = await expireRequest(deps, request, expireAfterMs, SYSTEM_ACTORS.reconciler);
      if (result.ok) report.expired.push(request.id);
      return;
    }
    if (!request.approvalMessage) {
      const account = findAccount(await snapshotOf(deps.accounts), request.accountId);
      const channel = account?.approverChannel ?? deps.config.approval.approverChannel;
      const posted = channel ? await deps.notifier.postCard(request, channel) : undefined;
      if (posted) {
        await deps.repository.setApprovalMessage(request.id, posted);
        report.cardsPosted.push(request.id);
      }
      return;
    }
    if (age < remindAfterMs) return;
    const trail = await deps.repository.auditTrail(request.id);
    const last = trail.filter((e) => e.action === 'reminded').at(-1);
    if (last && now() - Date.parse(last.at) < remindAfterMs) return;
    await deps.notifier.remind(request);
    await deps.repository.recordAuditNote(request.id, { actor: SYSTEM_ACTORS.reconciler, action: 'reminded' });
    report.reminded.push(request.id);
  }
}
