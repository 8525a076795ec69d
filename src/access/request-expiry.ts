// When a waiting request is too old to decide (REQUEST_EXPIRE_AFTER_HOURS), and expiring it. The reconciler expires
// requests on its rounds; a click in between expires the request itself instead of deciding it. Pure but for ports.
import type { RequestNotifier } from './approval-ports.js';
import type {
  ActivationRequest,
  Actor,
  RequestRepository,
  SlackContext,
  TransitionResult,
} from './request-repository.js';

/** Whether the request waited longer than `expireAfterMs` for a decision. */
export function isOverdue(request: ActivationRequest, expireAfterMs: number, now: number): boolean {
  return request.state === 'REQUESTED' && now - Date.parse(request.createdAt) >= expireAfterMs;
}

/** "45 seconds", "30 minutes", "1 hour", "2.5 hours", "72 hours": the expiry as people set it. */
export function describeExpiry(expireAfterMs: number): string {
  // Below a minute (a fraction such as 0.01 hours) in seconds: "0 minutes" would read as no time at all.
  if (expireAfterMs < 60_000) {
    const seconds = Math.max(1, Math.round(expireAfterMs / 1000));
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.round(expireAfterMs / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round((expireAfterMs / 3_600_000) * 10) / 10;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export interface ExpireDeps {
  repository: RequestRepository;
  notifier: RequestNotifier;
}

/**
 * Moves a waiting request to EXPIRED (conditional on its version), then updates the card and tells everyone who
 * asked. `actor`: the reconciler, or the person whose click found it overdue (so the audit says who).
 */
export async function expireRequest(
  deps: ExpireDeps,
  request: ActivationRequest,
  expireAfterMs: number,
  actor: Actor,
  slack?: SlackContext,
): Promise<TransitionResult> {
  const result = await deps.repository.transition(request.id, {
    from: 'REQUESTED',
    to: 'EXPIRED',
    expectedVersion: request.version,
    actor,
    ...(slack ? { slack } : {}),
    note: `No decision within ${describeExpiry(expireAfterMs)}.`,
  });
  if (result.ok) {
    await deps.notifier.refreshCard(result.request);
    await deps.notifier.requestEnded(result.request);
  }
  return result;
}
