// The RequestNotifier over Slack's Web API. The card is always rendered from the stored request. Updates of one
// card run one at a time, newest state wins; a chat.update that keeps failing is replaced by a new message in the
// approver channel (the new ts is stored), so a Slack outage never hides a state change that was committed.
import type { webApi } from '@slack/bolt';
import { type AccountDirectory, snapshotOf } from '../access/account-registry.js';
import type { RequestNotifier } from '../access/approval-ports.js';
import type { ActivationRequest } from '../access/request-repository.js';
import { type Config, findAccount } from '../config.js';
import type { Logger } from '../log.js';
import { approvalCard } from './blocks/approval-card.js';
import type { SlackMessage } from './blocks/message.js';
import { reminderMessage, requestEndedMessage } from './blocks/request-messages.js';
import { slackErrorCode } from './slack-jobs.js';

export interface SlackNotifierDeps {
  client: webApi.WebClient;
  config: { approval: { approverGroupId?: string } } & Partial<Pick<Config, 'activation'>>;
  accounts: AccountDirectory;
  /** Stores where a replacement card went. */
  setApprovalMessage(id: string, message: { channelId: string; ts: string }): Promise<unknown>;
  logger: Logger;
  /** Attempts of chat.update before a new message is posted. @default 3 */
  updateAttempts?: number;
  /** @default 200 */
  retryDelayMs?: number;
}

export function createSlackRequestNotifier(deps: SlackNotifierDeps): RequestNotifier {
  const attempts = deps.updateAttempts ?? 3;
  const delay = deps.retryDelayMs ?? 200;
  const log = deps.logger.child({ component: 'approval-card' });
  /** Per request: the update in progress and the newest state waiting to be shown after it. */
  const cards = new Map<string, { running: Promise<void>; next?: ActivationRequest }>();
  /** What each card shows now (by its ts), so a step that changes nothing visible costs no chat.update. */
  const shown = new Map<string, string>();

  const render = async (request: ActivationRequest): Promise<SlackMessage> => {
    const account = findAccount(await snapshotOf(deps.accounts), request.accountId);
    return approvalCard({
      request,
      ...(account
        ? { account: { id: account.id, alias: account.alias, activationRoleArn: account.activationRoleArn } }
        : {}),
      ...(deps.config.activation ? { useCaseFormConfigured: Boolean(deps.config.activation.useCaseFormFile) } : {}),
    });
  };

  async function post(channel: string, message: SlackMessage, threadTs?: string) {
    const res = await deps.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { channelId: String(res.channel ?? channel), ts: String(res.ts) };
  }

  async function update(request: ActivationRequest): Promise<void> {
    const where = request.approvalMessage;
    if (!where) return;
    const message = await render(request);
    const rendered = JSON.stringify(message.blocks);
    if (shown.get(where.ts) === rendered) return;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delay * attempt));
      try {
        await deps.client.chat.update({
          channel: where.channelId,
          ts: where.ts,
          text: message.text,
          blocks: message.blocks,
        });
        remember(where.ts, rendered);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    log.warn('chat.update kept failing; posting the card again', {
      requestId: request.id,
      slackError: slackErrorCode(lastError),
    });
    try {
      const posted = await post(where.channelId, message);
      remember(posted.ts, rendered);
      await deps.setApprovalMessage(request.id, posted);
      request.approvalMessage = posted;
    } catch (err) {
      log.error('could not post the card again either', {
        requestId: request.id,
        slackError: slackErrorCode(err),
        err,
      });
    }
  }

  const remember = (ts: string, rendered: string) => {
    shown.set(ts, rendered);
    // Bounded: only recent cards matter; an evicted one is simply updated once more.
    if (shown.size > 1000) shown.delete(shown.keys().next().value as string);
  };

  /** Newer states win: the version, then the number of steps recorded. */
  const newer = (a: ActivationRequest, b: ActivationRequest) =>
    a.version !== b.version ? a.version > b.version : a.progress.length >= b.progress.length;

  function refreshCard(request: ActivationRequest): Promise<void> {
    const slot = cards.get(request.id);
    if (slot) {
      if (!slot.next || newer(request, slot.next)) slot.next = request;
      return slot.running;
    }
    const entry: { running: Promise<void>; next?: ActivationRequest; last?: ActivationRequest } = {
      running: Promise.resolve(),
    };
    entry.running = (async () => {
      let current: ActivationRequest | undefined = request;
      while (current) {
        await update(current);
        const following: ActivationRequest | undefined = entry.next;
        entry.next = undefined;
        if (following && current.approvalMessage) following.approvalMessage = current.approvalMessage;
        current = following && newer(following, current) ? following : undefined;
      }
      cards.delete(request.id);
    })();
    cards.set(request.id, entry);
    return entry.running;
  }

  async function cardLink(request: ActivationRequest): Promise<string | undefined> {
    const where = request.approvalMessage;
    if (!where) return undefined;
    try {
      const res = await deps.client.chat.getPermalink({ channel: where.channelId, message_ts: where.ts });
      return typeof res.permalink === 'string' ? res.permalink : undefined;
    } catch (err) {
      log.warn('no permalink for the card', { requestId: request.id, slackError: slackErrorCode(err) });
      return undefined;
    }
  }

  return {
    async postCard(request, channelId) {
      try {
        const message = await render(request);
        const posted = await post(channelId, message);
        remember(posted.ts, JSON.stringify(message.blocks));
        return posted;
      } catch (err) {
        log.error('could not post the approval card', {
          requestId: request.id,
          channelId,
          slackError: slackErrorCode(err),
        });
        return undefined;
      }
    },
    refreshCard,
    async requestEnded(request) {
      const link = await cardLink(request);
      const message = requestEndedMessage(request, link);
      const people = [request.requester, ...request.joiners].map((p) => p.userId);
      for (const userId of new Set(people)) {
        try {
          // A user id as channel posts in the bot's DM with them (chat:write is enough).
          await post(userId, message);
        } catch (err) {
          log.warn('could not tell a requester', { requestId: request.id, userId, slackError: slackErrorCode(err) });
        }
      }
    },
    async remind(request) {
      const where = request.approvalMessage;
      if (!where) return;
      await post(where.channelId, reminderMessage(request, deps.config.approval.approverGroupId), where.ts);
    },
    cardLink,
  };
}

/** The approver group's members through `usergroups.users.list` (scope usergroups:read). */
export function slackApproverDirectory(client: webApi.WebClient) {
  return {
    async groupMembers(groupId: string): Promise<string[]> {
      const res = await client.usergroups.users.list({ usergroup: groupId });
      return Array.isArray(res.users) ? res.users.filter((u): u is string => typeof u === 'string') : [];
    },
  };
}
