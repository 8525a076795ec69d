// Answering the person who acted, after the ack: through their response_url when it is Slack's and still has uses,
// otherwise through the Web API (an ephemeral in the channel, else a DM). Every background answer goes through here.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/message.js';
import type { PostToResponseUrl, ResponseUrlBudget, ResponseUrlCheck } from './response-url.js';

/** Where to answer the person who acted: their response_url (budgeted), else the Web API. */
export interface ReplyTo {
  userId: string;
  channelId?: string;
  responseUrl?: string;
}

export interface ReplyDeps {
  client: webApi.WebClient;
  postToResponseUrl: PostToResponseUrl;
  /** Which response URLs may be posted to (Slack's own, and SLACK_API_URL's origin). */
  allowsResponseUrl: ResponseUrlCheck;
  /** Uses left per response_url; unset: not counted here. */
  responseUrls?: ResponseUrlBudget;
}

export async function replyTo(
  deps: ReplyDeps,
  to: ReplyTo,
  message: SlackMessage,
  log: Logger,
  replaceOriginal = false,
): Promise<void> {
  const url = to.responseUrl;
  if (url && !deps.allowsResponseUrl(url)) {
    log.warn('response_url is not a Slack response URL; answering through the Web API instead');
  } else if (url && (deps.responseUrls?.take(url) ?? true)) {
    try {
      await deps.postToResponseUrl(url, { ...message, response_type: 'ephemeral', replace_original: replaceOriginal });
      return;
    } catch (err) {
      log.warn('response_url post failed; sending a direct message instead', { err });
    }
  }
  // A modal's submission has no response_url: still only the clicker sees the answer, in the card's channel. (A
  // spent or refused response_url falls through to chat.postMessage.)
  if (!url && to.channelId) {
    try {
      await deps.client.chat.postEphemeral({
        channel: to.channelId,
        user: to.userId,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    } catch (err) {
      log.warn('ephemeral answer refused; sending a direct message instead', { slackError: slackErrorCode(err) });
    }
  }
  try {
    await deps.client.chat.postMessage({
      channel: to.userId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    log.warn('could not tell the user', { user: to.userId, slackError: slackErrorCode(err) });
  }
}

/** The Web API error code (`not_in_channel`, `ratelimited` …) when there is one. */
export function slackErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const data = (err as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return data.error;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
