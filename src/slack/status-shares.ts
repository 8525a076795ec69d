// Each person's share of live status checks (STATUS_CHECKS_PER_MINUTE) and the cache that lets identical checks
// share one AWS read (STATUS_CACHE_SECONDS). A check over the share is answered at once, saying when to retry.
import { cachedStatusChecks } from '../access/cached-status.js';
import { createRateLimiter, type RateDecision, type RateLimiter, type UsageCounter } from '../access/rate-limit.js';
import { createSingleFlightCache } from '../access/single-flight-cache.js';
import type { CheckStatus, StatusReport } from '../access/status-report.js';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/message.js';

export interface StatusLimits {
  /** STATUS_CHECKS_PER_MINUTE. @default 10 */
  statusChecksPerMinute: number;
  /** STATUS_CACHE_SECONDS, in ms; 0 turns the cache off. @default 30_000 */
  statusCacheMs: number;
}

export const DEFAULT_STATUS_LIMITS: StatusLimits = { statusChecksPerMinute: 10, statusCacheMs: 30_000 };

export function statusShares(
  limits: StatusLimits,
  checkStatus: CheckStatus,
  /** Where the counts live. @default this process's memory */
  counter?: UsageCounter,
  now: () => number = Date.now,
): { limiter: RateLimiter; checkStatus: CheckStatus } {
  return {
    limiter: createRateLimiter({
      limit: limits.statusChecksPerMinute,
      windowMs: 60_000,
      now,
      ...(counter ? { counter } : {}),
    }),
    checkStatus:
      limits.statusCacheMs > 0
        ? cachedStatusChecks(checkStatus, createSingleFlightCache<StatusReport>({ ttlMs: limits.statusCacheMs, now }))
        : checkStatus,
  };
}

/** Takes one of `userId`'s checks. A count that cannot be read lets the check through: better a check than none. */
export async function takeStatusShare(limiter: RateLimiter, userId: string, log: Logger): Promise<RateDecision> {
  try {
    return await limiter.take(userId);
  } catch (err) {
    log.warn('status share not counted (store unavailable); checking anyway', { err });
    return { ok: true };
  }
}

/** "Slow down", with the time to retry in the reader's own time zone (Slack's date formatting) and in UTC. */
export function slowDownMessage(
  refusal: { retryAt: number; retryAfterMs: number },
  limiter: RateLimiter,
): SlackMessage {
  const { retryAt } = refusal;
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const utc = `${new Date(retryAt).toISOString().slice(11, 19)} UTC`;
  const when = `<!date^${Math.ceil(retryAt / 1000)}^{time_secs}|${utc}>`;
  const share = `${limiter.limit} status check${limiter.limit === 1 ? '' : 's'} a minute`;
  return {
    text: `Slow down a little: you can run ${share}. Try again after ${utc} (in ${seconds} s).`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: Slow down a little: each person can run ${share}, and you have used yours. Try again after ${when} (in ${seconds} s).`,
        },
      },
    ],
  };
}
