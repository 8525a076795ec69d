// What the requester, joiners and clickers are told about a request: opened, joined, refused, ended, the list.
import type { KnownBlock } from '@slack/types';
import type { RequestActivationOutcome } from '../../access/request-activation.js';
import type { ActivationRequest } from '../../access/request-repository.js';
import { ACTION } from '../action-ids.js';
import { mention, rejectReasonBlock, STATE_LABEL } from './approval-card.js';
import { LIMITS, type SlackMessage } from './message.js';
import { escapeMrkdwn, inlineCode, truncate, truncateEscaped } from './mrkdwn.js';

function plainMessage(text: string, fallback: string): SlackMessage {
  return {
    text: escapeMrkdwn(truncate(fallback, 300)),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }],
  };
}

/** A link to the card, only when Slack gave us a plain https permalink. */
function cardLinkText(link: string | undefined, label = 'the approval card'): string {
  return link && /^https:\/\/[^\s<>|]{1,900}$/.test(link) ? `<${link.replace(/&/g, '&amp;')}|${label}>` : label;
}

/** `askedBy`: who submitted; a requester who asks again is not told they "joined" their own request. */
export function requestOutcomeMessage(outcome: RequestActivationOutcome, askedBy?: string): SlackMessage {
  switch (outcome.kind) {
    case 'usable':
      return plainMessage(`:large_green_circle: ${truncateEscaped(outcome.message, 1500)}`, outcome.message);
    case 'refused':
    case 'not_managed':
      return plainMessage(`:no_entry_sign: ${truncateEscaped(outcome.message, 1500)}`, outcome.message);
    case 'joined': {
      const r = outcome.request;
      if (askedBy === r.requester.userId) {
        const again = `:raised_hand: You already asked for ${inlineCode(r.baseModelId)} in ${inlineCode(r.region)}; that request is still open (${cardLinkText(outcome.cardLink)}). You will be told when it ends.`;
        return plainMessage(again, `Your request for ${r.baseModelId} is still open.`);
      }
      const text = `:raised_hand: ${mention(r.requester.userId)} already asked for ${inlineCode(r.baseModelId)} in ${inlineCode(r.region)}; you have joined that request (${cardLinkText(outcome.cardLink)}). You will be told when it ends.`;
      return plainMessage(text, `You joined the open request for ${r.baseModelId}.`);
    }
    case 'opened': {
      const r = outcome.request;
      const where = outcome.cardPosted
        ? `Approvers have ${cardLinkText(outcome.cardLink)}.`
        : 'Slack did not take the approval card just now; the bot will post it again shortly.';
      const blocks: KnownBlock[] = [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `:memo: Your request to activate ${inlineCode(r.baseModelId)} in ${inlineCode(r.region)} is open. ${where} You will get a message here when it ends.`,
          },
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ACTION.cancelRequest,
              text: { type: 'plain_text', text: 'Cancel request', emoji: true },
              value: r.id,
            },
          ],
        },
      ];
      return { text: escapeMrkdwn(`Your request for ${r.baseModelId} is open.`), blocks };
    }
  }
}

/** The DM every requester and joiner gets when the request ends. */
export function requestEndedMessage(request: ActivationRequest, cardLink?: string): SlackMessage {
  const model = inlineCode(request.baseModelId);
  const card = cardLinkText(cardLink, 'the card');
  const by = request.decidedBy ? mention(request.decidedBy.userId) : 'the bot';
  const texts: Partial<Record<ActivationRequest['state'], string>> = {
    ACTIVE: `:large_green_circle: ${model} is active in account ${escapeMrkdwn(request.accountId)} (${inlineCode(request.region)}). Calls can still fail for about 2 more minutes. (${card})`,
    REJECTED: `:no_entry: Your request for ${model} was rejected by ${by} (${card}), saying:`,
    EXPIRED: `:zzz: Your request for ${model} expired: no approver decided in time. Ask again with \`/bedrock request\` if you still need it.`,
    CANCELLED: `:heavy_multiplication_x: The request for ${model} was cancelled by ${by}.`,
    FAILED: `:red_circle: Activating ${model} failed: ${truncateEscaped(request.error?.message ?? 'no reason was recorded', 1500)} Ask again with \`/bedrock request ${escapeMrkdwn(truncate(request.baseModelId, 200))}\` once the cause is fixed. (${card})`,
  };
  const text = texts[request.state] ?? `The request for ${model} is ${request.state.toLowerCase()}.`;
  const message = plainMessage(
    text,
    `Your request for ${request.baseModelId} ${ENDED_VERB[request.state] ?? 'has ended'}.`,
  );
  // The approver's words go in a block of their own, as plain text, so they cannot pass for the bot's lines.
  return request.state === 'REJECTED'
    ? { ...message, blocks: [...message.blocks, rejectReasonBlock(request)] }
    : message;
}

/** The notification line of the DM (what a phone shows), in words rather than the state's name. */
const ENDED_VERB: Partial<Record<ActivationRequest['state'], string>> = {
  ACTIVE: 'is active',
  REJECTED: 'was rejected',
  EXPIRED: 'expired',
  CANCELLED: 'was cancelled',
  FAILED: 'failed',
};

export function reminderMessage(request: ActivationRequest, groupId?: string): SlackMessage {
  const who = groupId && /^S[A-Z0-9]{2,30}$/.test(groupId) ? `<!subteam^${groupId}>` : 'Approvers';
  return plainMessage(
    `:alarm_clock: ${who}: this request from ${mention(request.requester.userId)} is still waiting for a decision.`,
    `Reminder: the request for ${request.baseModelId} is waiting for a decision.`,
  );
}

/** Told to a clicker only (refused, already decided, not found). */
export function clickAnswerMessage(text: string): SlackMessage {
  // `text` is ours (it may hold a <@U…> mention built from a checked id); nothing in it comes from a user.
  return plainMessage(`:information_source: ${truncate(text, 1500)}`, text.replace(/<@([UW][A-Z0-9]+)>/g, '@$1'));
}

export function requestListMessage(
  requests: Array<{ request: ActivationRequest; link?: string }>,
  scope: 'all' | 'own',
): SlackMessage {
  if (requests.length === 0) {
    return plainMessage(scope === 'all' ? 'No requests are open.' : 'You have no open requests.', 'No open requests.');
  }
  const header = scope === 'all' ? '*Open requests*' : '*Your open requests*';
  const rows = requests.slice(0, 40).map(({ request: r, link }) => {
    const label = `${r.baseModelId} · ${r.region} · ${r.accountId}`;
    const shown =
      link && /^https:\/\/[^\s<>|]{1,900}$/.test(link)
        ? `<${link.replace(/&/g, '&amp;')}|${escapeMrkdwn(label.replace(/[|>]/g, ' '))}>`
        : inlineCode(label);
    return `• ${shown} — ${STATE_LABEL[r.state]} — asked by ${mention(r.requester.userId)}`;
  });
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  // Several sections so a long list stays under the 3,000-character section limit.
  for (let i = 0; i < rows.length; i += 10) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(rows.slice(i, i + 10).join('\n'), LIMITS.sectionText) },
    });
  }
  if (requests.length > 40) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… and ${requests.length - 40} more` }] });
  }
  return { text: `${requests.length} open request(s)`, blocks };
}

/** Told to whoever typed a reason holding secrets: what was done, and that the secret should be rotated. */
export function secretsRemovedMessage(count: number): SlackMessage {
  const what = count === 1 ? 'something that looks like a secret' : `${count} things that look like secrets`;
  return plainMessage(
    `:lock: Your reason held ${what} (an access key, token or password). I replaced it with \`[redacted]\` before storing or showing it. It did pass through Slack, so treat it as exposed and rotate it.`,
    'I removed a secret from your reason.',
  );
}
