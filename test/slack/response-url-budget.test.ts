import { describe, expect, it } from 'vitest';
import { createResponseUrlBudget } from '../../src/slack/response-url.js';

describe('response_url budget', () => {
  it('allows 5 uses of one response_url, then refuses (the caller posts with chat.postMessage)', () => {
    const budget = createResponseUrlBudget({ now: () => 0 });
    const uses = Array.from({ length: 7 }, () => budget.take('https://hooks.slack.com/actions/1'));
    expect(uses).toEqual([true, true, true, true, true, false, false]);
    expect(budget.take('https://hooks.slack.com/actions/2')).toBe(true);
  });

  it('refuses a response_url more than 30 minutes after its first use', () => {
    let now = 0;
    const budget = createResponseUrlBudget({ now: () => now });
    expect(budget.take('u')).toBe(true);
    now = 30 * 60_000 + 1;
    expect(budget.take('u')).toBe(true); // forgotten, so counted afresh from now…
    const strict = createResponseUrlBudget({ now: () => now });
    expect(strict.take('v', 0)).toBe(false); // …unless the caller knows when Slack issued it
  });
});
