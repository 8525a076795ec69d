// A small in-process cache with single flight: callers asking for the same key while it loads share that one load,
// and its value is reused for `ttlMs`. A failed load is shared by those already waiting, then forgotten.

export interface SingleFlightCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
}

export interface SingleFlightCacheOptions {
  ttlMs: number;
  /** Values kept at most (the oldest are dropped first). @default 1000 */
  maxEntries?: number;
  now?: () => number;
}

export function createSingleFlightCache<V>(options: SingleFlightCacheOptions): SingleFlightCache<V> {
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<V>; until: number }>();
  return {
    get(key, load) {
      const at = now();
      const hit = entries.get(key);
      if (hit && hit.until > at) return hit.value;
      entries.delete(key);
      // Until the load settles the entry never expires: a slow AWS read is still shared.
      const entry = { value: load(), until: Number.POSITIVE_INFINITY };
      entries.set(key, entry);
      entry.value.then(
        () => {
          entry.until = now() + options.ttlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
      return entry.value;
    },
  };
}
