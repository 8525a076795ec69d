// Rules about rate and capacity: request and token rates, daily token quotas, service quotas, models not ready.
import { has, hit, type Rule } from './kit.js';

export const throttling: Rule = ({ phrases, facts }) => {
  if (has(phrases, 'too many tokens per day')) return hit('throttling_or_quota', 'tokens_per_day');
  if (has(phrases, 'servicequotaexceeded', 'service quota', 'quota exceeded', 'exceeded your quota')) {
    return hit('throttling_or_quota', 'service_quota');
  }
  if (has(phrases, 'too many tokens', 'tokens per minute')) return hit('throttling_or_quota', 'tokens');
  if (has(phrases, 'modelnotready', 'model is not ready', 'not ready to serve')) {
    return hit('throttling_or_quota', 'model_not_ready');
  }
  if (
    has(
      phrases,
      'throttlingexception',
      'too many requests',
      'request rate is too high',
      'rate exceeded',
      'toomanyrequests',
      'requests per minute',
    ) ||
    has(phrases, 'throttled', 'ratelimiterror', 'rate limit') ||
    facts.httpStatus === 429
  ) {
    return hit('throttling_or_quota', 'requests');
  }
  if (has(phrases, 'serviceunavailable', 'service unavailable', 'unable to process your request')) {
    return hit('throttling_or_quota', 'service_unavailable');
  }
  return undefined;
};
