import { describe, expect, it } from 'vitest';
import { createSingleFlightCache } from '../../src/access/single-flight-cache.js';

describe('createSingleFlightCache', () => {
  it('shares one load among callers in flight and after, until the window ends', async () => {
    let clock = 1_000;
    let loads = 0;
    const cache = createSingleFlightCache<string>({ ttlMs: 30_000, now: () => clock });
    let finish: (value: string) => void = () => {};
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    };

    const together = [cache.get('k', load), cache.get('k', load)];
    finish('first');
    expect(await Promise.all(together)).toEqual(['first', 'first']);
    clock += 29_000;
    expect(await cache.get('k', () => Promise.resolve('second'))).toBe('first');
    clock += 2_000;
    expect(await cache.get('k', () => Promise.resolve('second'))).toBe('second');
    expect(loads).toBe(1);
  });

  it('shares a failure with those already waiting, then forgets it', async () => {
    const cache = createSingleFlightCache<string>({ ttlMs: 30_000 });
    const failing = () => Promise.reject(new Error('throttled'));
    const waiting = [cache.get('k', failing), cache.get('k', failing)];
    await expect(Promise.all(waiting)).rejects.toThrow('throttled');
    expect(await cache.get('k', () => Promise.resolve('fine'))).toBe('fine');
  });

  it('keeps at most maxEntries values, dropping the oldest', async () => {
    let loads = 0;
    const cache = createSingleFlightCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    const load = (n: number) => () => {
      loads += 1;
      return Promise.resolve(n);
    };
    await cache.get('a', load(1));
    await cache.get('b', load(2));
    await cache.get('c', load(3));
    await cache.get('a', load(4));
    expect(loads).toBe(4);
  });
});
