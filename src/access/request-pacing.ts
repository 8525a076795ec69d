// Keeps one person from filling the approvers' channel: a requester who cancelled waits REQUEST_COOLDOWN_MINUTES
// before asking for that model again, and nobody opens more than REQUESTS_PER_USER_PER_HOUR requests an hour.
// Both read the stored requests, so they hold across processes; each answer says until when.
import type { ActivationRequest, RequestRepository } from './request-repository.js';

export const DEFAULT_REQUEST_COOLDOWN_MS = 30 * 60_000;
export const DEFAULT_REQUESTS_PER_USER_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

export interface RequestPacing {
  cooldownMs: number;
  perHour: number;
}

/** Why `userId` must wait before opening a request for this model (its `history`), or undefined. */
export async function waitBeforeOpening(
  repository: Pick<RequestRepository, 'listByRequester'>,
  pacing: RequestPacing,
  request: { userId: string; baseModelId: string; history: ActivationRequest[] },
  now: number,
): Promise<string | undefined> {
  const cancelled = request.history
    .filter((r) => r.state === 'CANCELLED' && r.requester.userId === request.userId)
    .filter((r) => r.decidedBy?.userId === request.userId && r.decidedAt)
    .map((r) => Date.parse(r.decidedAt as string))
    .filter((at) => now - at < pacing.cooldownMs)
    .sort((a, b) => b - a)[0];
  if (cancelled !== undefined) {
    return (
      `You cancelled your request for ${request.baseModelId} at ${clock(cancelled)}. To keep the approvers' ` +
      `channel calm, you can ask for it again after ${clock(cancelled + pacing.cooldownMs)}.`
    );
  }
  const opened = (await repository.listByRequester(request.userId))
    .filter((r) => r.requester.userId === request.userId)
    .map((r) => Date.parse(r.createdAt))
    .filter((at) => now - at < HOUR_MS)
    .sort((a, b) => a - b);
  if (opened.length >= pacing.perHour) {
    const freedAt = (opened[opened.length - pacing.perHour] ?? now) + HOUR_MS;
    return (
      `You have opened ${opened.length} requests in the last hour, the most one person may open. ` +
      `You can open another after ${clock(freedAt)}.`
    );
  }
  return undefined;
}

/** `2026-01-31 14:05 UTC`: plain text, shown as is wherever the answer lands. */
function clock(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
