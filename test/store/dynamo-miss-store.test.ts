// The miss store on a real dynalite table: one conditional update decides a press, whoever races it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldPaste } from '../../src/access/diagnosis-misses.js';
import { type Fixture, startFixture } from './store-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());

let counter = 0;
function aPaste(userId = 'U0USER0001'): HeldPaste {
  counter += 1;
  return {
    id: `5e0f1c2d-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    userId,
    text: `ValidationException: something new ${counter}`,
    diagnosed: { category: 'unknown', cause: 'unknown.no_signal', title: 'Not recognised', facts: {} },
  };
}

describe('the miss store', () => {
  it('keeps a paste once when its author presses three times at the same moment', async () => {
    // Prepare
    const paste = aPaste();
    await fx.store.misses.hold(paste, 1800);

    // Act
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => fx.store.misses.keep(paste.id, { userId: 'U0USER0001' }, 14)),
    );

    // Assess
    expect(outcomes.filter((o) => o.kept)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.kept).map((o) => !o.kept && o.reason)).toEqual(['already_kept', 'already_kept']);
    expect((await fx.store.misses.listKept()).filter((m) => m.id === paste.id)).toHaveLength(1);
  });

  it('lists kept misses oldest first and drops them once MISSES_TTL_DAYS have passed, before any TTL sweep', async () => {
    // Prepare
    const first = aPaste();
    const second = aPaste();
    for (const paste of [first, second]) await fx.store.misses.hold(paste, 1800);
    await fx.store.misses.keep(first.id, { userId: first.userId }, 1);
    fx.clock.now = new Date(fx.clock.now.getTime() + 60_000);
    await fx.store.misses.keep(second.id, { userId: second.userId }, 3);

    // Act
    const now = (await fx.store.misses.listKept()).map((m) => m.id);
    fx.clock.now = new Date(fx.clock.now.getTime() + 2 * 86_400_000);
    const later = (await fx.store.misses.listKept()).map((m) => m.id);

    // Assess
    expect(now.indexOf(first.id)).toBeLessThan(now.indexOf(second.id));
    expect(later).not.toContain(first.id);
    expect(later).toContain(second.id);
  });
});
