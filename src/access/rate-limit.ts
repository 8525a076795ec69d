// Fixed windows per key (a user id): at most `limit` takes in each window. A refusal says when the next window
// opens, so the person can be told exactly when to try again. In memory: one process's share of the work.

export type RateDecision = { ok: true } | { ok: false; retryAt: number };

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one use by `key` now, unless its window is full. */
  take(key: string): RateDecision;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** Keys remembered at most (the oldest windows are dropped first). @default 10_000 */
  maxKeys?: number;
  now?: () => number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // key → the window it counts in; Map order is insertion order, so the first entries are the stalest.
  const windows = new Map<string, { start: number; used: number }>();
  return {
    limit,
    windowMs,
    take(key) {
      const at = now();
      const start = at - (at % windowMs);
      let window = windows.get(key);
      if (!window || window.start !== start) {
        windows.delete(key);
        window = { start, used: 0 };
        windows.set(key, window);
        for (const stale of windows.keys()) {
          if (windows.size <= maxKeys) break;
          windows.delete(stale);
        }
      }
      if (window.used >= limit) return { ok: false, retryAt: start + windowMs };
      window.used += 1;
      return { ok: true };
    },
  };
}
