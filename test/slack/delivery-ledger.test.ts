import { describe, expect, it } from 'vitest';
import { createMemoryDeliveryLedger } from '../../src/slack/delivery-ledger.js';

describe('createMemoryDeliveryLedger', () => {
  it('lets the first claim of a key through and refuses the rest until the TTL passes', async () => {
    // Prepare
    let now = 1_000;
    const ledger = createMemoryDeliveryLedger({ ttlMs: 100, now: () => now });

    // Act + Assess
    expect(await ledger.claim('Ev1')).toBe(true);
    expect(await ledger.claim('Ev1')).toBe(false);
    expect(await ledger.claim('Ev2')).toBe(true);
    now += 101;
    expect(await ledger.claim('Ev1')).toBe(true);
  });

  it('forgets the oldest claims beyond its size bound', async () => {
    const ledger = createMemoryDeliveryLedger({ maxEntries: 2 });
    await ledger.claim('a');
    await ledger.claim('b');
    await ledger.claim('c');
    expect(await ledger.claim('c')).toBe(false);
    expect(await ledger.claim('a')).toBe(true);
  });

  it('answers concurrent claims of one key exactly once', async () => {
    const ledger = createMemoryDeliveryLedger();
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.claim('same')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
