// Fixed windows per key (a user id): at most `limit` takes in each window. A refusal says when the next window
// opens, so the person can be told exactly when to try again. The counts live behind a small port: in memory for
// one process, or in the state table, where every process (every Lambda instance) shares them.

/** A refusal says when the next window opens (epoch ms) and how long that is from now. */
export type RateDecision = { ok: true } | { ok: false; retryAt: number; retryAfterMs: number };

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one use by `key` now, unless its window is full. */
  take(key: string): Promise<RateDecision>;
}

/** Port: adds one use to `key`'s count (kept until `expiresAt`, epoch ms) and returns the new count. */
export interface UsageCounter {
  add(key: string, expiresAt: number): Promise<number>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  /** @default an in-memory counter (this process only) */
  counter?: UsageCounter;
  now?: () => number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const counter = options.counter ?? createMemoryUsageCounter({ now: options.now });
  const now = options.now ?? Date.now;
  return {
    limit,
    windowMs,
    async take(key) {
      const at = now();
      const start = at - (at % windowMs);
      const used = await counter.add(`${key}#${start}`, start + windowMs);
      return used > limit
        ? { ok: false, retryAt: start + windowMs, retryAfterMs: start + windowMs - at }
        : { ok: true };
    },
  };
}

/** Counts in this process's memory; expired keys are dropped, and at most `maxKeys` are kept. */
export function createMemoryUsageCounter(options: { maxKeys?: number; now?: (() => number) | undefined } = {}) {
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Map order is insertion order: the first entries are the oldest windows.
  const counts = new Map<string, { used: number; expiresAt: number }>();
  return {
    async add(key: string, expiresAt: number): Promise<number> {
      const at = now();
      for (const [old, entry] of counts) {
        if (entry.expiresAt > at && counts.size < maxKeys) break;
        counts.delete(old);
      }
      const entry = counts.get(key) ?? { used: 0, expiresAt };
      entry.used += 1;
      counts.set(key, entry);
      return entry.used;
    },
  } satisfies UsageCounter;
}
