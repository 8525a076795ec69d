import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/access/rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` takes per window per key and says when the next window opens', async () => {
    let clock = 120_500;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => clock });
    expect(await limiter.take('U1')).toEqual({ ok: true });
    expect(await limiter.take('U1')).toEqual({ ok: true });
    expect(await limiter.take('U1')).toEqual({ ok: false, retryAt: 180_000, retryAfterMs: 59_500 });
    expect(await limiter.take('U2')).toEqual({ ok: true });
    clock = 180_000;
    expect(await limiter.take('U1')).toEqual({ ok: true });
  });
});
