// Posts to a Slack response_url (a per-interaction webhook, valid ~30 minutes, up to 5 uses).

import { messageOf } from '../errors.js';
import type { SlackMessage } from './blocks/message.js';

export interface ResponseUrlPost extends SlackMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export type PostToResponseUrl = (url: string, body: ResponseUrlPost) => Promise<void>;

export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
}

export interface ResponseUrlPosterOptions {
  fetch?: typeof fetch;
  /** @default 10_000 */
  timeoutMs?: number;
}

export function createResponseUrlPoster(options: ResponseUrlPosterOptions = {}): PostToResponseUrl {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url, body) => {
    // response_url comes from a signed Slack payload; still, never follow anything but http(s).
    if (!/^https?:\/\//.test(url)) throw new ResponseUrlError('response_url is not an http(s) URL');
    let lastProblem = '';
    // One retry: a lost reply is worse than a rare duplicate, but a storm is worse than both.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (res.ok) return;
        lastProblem = `HTTP ${res.status} ${text.slice(0, 100)}`;
        if (res.status < 500 && res.status !== 429) break;
      } catch (err) {
        lastProblem = messageOf(err);
      }
    }
    throw new ResponseUrlError(`response_url post failed: ${lastProblem}`);
  };
}

export interface ResponseUrlBudgetOptions {
  /** Slack accepts a response_url at most 5 times. @default 5 */
  maxUses?: number;
  /** …and for 30 minutes. @default 1_800_000 */
  lifetimeMs?: number;
  now?: () => number;
}

/**
 * Counts the uses of each response_url (from its first use); `take` says whether one more post is allowed. When it
 * is not, the caller posts with chat.postMessage instead.
 */
export function createResponseUrlBudget(options: ResponseUrlBudgetOptions = {}) {
  const maxUses = options.maxUses ?? 5;
  const lifetimeMs = options.lifetimeMs ?? 1_800_000;
  const now = options.now ?? Date.now;
  const uses = new Map<string, { count: number; firstAt: number }>();
  return {
    take(url: string, issuedAt?: number): boolean {
      const at = now();
      for (const [key, u] of uses) if (at - u.firstAt > lifetimeMs) uses.delete(key);
      const entry = uses.get(url) ?? { count: 0, firstAt: issuedAt ?? at };
      if (entry.count >= maxUses || at - entry.firstAt > lifetimeMs) return false;
      entry.count += 1;
      uses.set(url, entry);
      return true;
    },
  };
}
export type ResponseUrlBudget = ReturnType<typeof createResponseUrlBudget>;
