// Posts to a Slack response_url (a per-interaction webhook, valid ~30 minutes, up to 5 uses).

import { messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/message.js';

export interface ResponseUrlPost extends SlackMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export type PostToResponseUrl = (url: string, body: ResponseUrlPost) => Promise<void>;

export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
}

/** Whether a response_url may be posted to. */
export type ResponseUrlCheck = (url: string) => boolean;

/**
 * Where Slack's response URLs live: hooks.slack.com (every workspace, Enterprise Grid included) and
 * hooks.slack-gov.com (GovSlack runs on its own slack-gov.com domain).
 */
const SLACK_RESPONSE_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * Accepts only Slack's own response URLs, plus the origin of `slackApiUrl` (SLACK_API_URL: a proxy, or a local
 * stand-in for Slack). A signed payload may still name any URL (a workspace member can craft one), and posting there
 * would make the bot a messenger into whatever network it runs in.
 */
export function slackResponseUrls(slackApiUrl?: string): ResponseUrlCheck {
  const extraOrigin = slackApiUrl ? new URL(slackApiUrl).origin : undefined;
  return (url) => {
    if (!URL.canParse(url)) return false;
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return false;
    const slack = parsed.protocol === 'https:' && parsed.port === '' && SLACK_RESPONSE_HOSTS.has(parsed.hostname);
    return slack || (extraOrigin !== undefined && parsed.origin === extraOrigin);
  };
}

/** The payload's response_url if it may be posted to; a refused one is logged and treated as absent. */
export function usableResponseUrl(allows: ResponseUrlCheck, url: string | undefined, log: Logger): string | undefined {
  if (url === undefined || url === '') return undefined;
  if (allows(url)) return url;
  log.warn('response_url is not a Slack response URL; answering through the Web API instead');
  return undefined;
}

export interface ResponseUrlPosterOptions {
  fetch?: typeof fetch;
  /** @default 10_000 */
  timeoutMs?: number;
  /** @default Slack's hosts only (`slackResponseUrls()`) */
  allows?: ResponseUrlCheck;
}

export function createResponseUrlPoster(options: ResponseUrlPosterOptions = {}): PostToResponseUrl {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const allows = options.allows ?? slackResponseUrls();
  return async (url, body) => {
    // Callers check first and fall back to the Web API; this is the last guard, so nothing else can post elsewhere.
    if (!allows(url)) throw new ResponseUrlError('response_url is not a Slack response URL');
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
