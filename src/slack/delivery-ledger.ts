// Slack redelivers an event it thinks we missed (X-Slack-Retry-Num, same event_id). The ledger lets exactly one
// delivery through. The app uses the store-backed ledger (a conditional put with TTL in the state table), which holds
// across processes; the in-memory one serves tests and benchmarks that run one process without a store.

export interface DeliveryLedger {
  /** True for the first claim of `key` within the ledger's time-to-live, false for every later one. */
  claim(key: string): Promise<boolean>;
}

export interface MemoryDeliveryLedgerOptions {
  /**
   * How long a claim is remembered. Slack retries within about 5 minutes, so an hour is ample.
   * @default 3_600_000
   */
  ttlMs?: number;
  /**
   * Claims remembered at most; the oldest are forgotten first.
   * @default 100_000
   */
  maxEntries?: number;
  now?: () => number;
}

export function createMemoryDeliveryLedger(options: MemoryDeliveryLedgerOptions = {}): DeliveryLedger {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order, so the first entries are the oldest claims.
  const claims = new Map<string, number>();

  const evict = (at: number) => {
    for (const [key, expiresAt] of claims) {
      if (expiresAt > at && claims.size < maxEntries) break;
      claims.delete(key);
    }
  };

  return {
    async claim(key) {
      const at = now();
      evict(at);
      const expiresAt = claims.get(key);
      if (expiresAt !== undefined && expiresAt > at) return false;
      claims.set(key, at + ttlMs);
      return true;
    },
  };
}

/** The ledger backed by the state store (a conditional put with TTL), shared by every process using that table. */
export function storeDeliveryLedger(store: { claimDelivery(key: string): Promise<boolean> }): DeliveryLedger {
  return { claim: (key) => store.claimDelivery(key) };
}
