// The approval card in the approver channel, rendered from the stored request alone: who asked and why, what,
// where, the offer, the exact steps Approve runs, progress as it happens, and the outcome. Pure.
import type { Button, KnownBlock } from '@slack/types';
import type { ActivationRequest, ActivationStep, RequestState } from '../../access/request-repository.js';
import { providerOf } from '../../diagnosis/providers.js';
import { ACTION } from '../action-ids.js';
import { LIMITS, type SlackMessage } from './message.js';
import { escapeMrkdwn, inlineCode, plainText, truncate, truncateEscaped, userText } from './mrkdwn.js';

export interface ApprovalCardAccount {
  id?: string;
  alias: string;
  activationRoleArn?: string;
}

export interface ApprovalCardInput {
  request: ActivationRequest;
  /** The registry entry of the request's account (undefined if it was removed since). */
  account?: ApprovalCardAccount;
  /** False when this bot has no use-case form to submit (no USE_CASE_FORM_FILE); undefined when not known. */
  useCaseFormConfigured?: boolean;
}

export const STATE_LABEL: Record<RequestState, string> = {
  REQUESTED: ':hourglass_flowing_sand: Waiting for an approver',
  APPROVED: ':white_check_mark: Approved, activation starting',
  ACTIVATING: ':gear: Activating',
  ACTIVE: ':large_green_circle: *Active*',
  REJECTED: ':no_entry: Rejected',
  EXPIRED: ':zzz: Expired',
  CANCELLED: ':heavy_multiplication_x: Cancelled',
  FAILED: ':red_circle: Failed',
};

/** A Slack user mention, only for ids that look like Slack user ids (stored values are still not trusted). */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(truncate(userId, 60));
}

/** Only a plain https URL becomes a link: anything with `|`, `<`, `>` or spaces could smuggle markup. */
export function termsLink(url: string | undefined): string | undefined {
  if (!url || !/^https:\/\/[^\s<>|]{1,900}$/.test(url)) return undefined;
  return `<${url.replace(/&/g, '&amp;')}|review the offer terms (EULA)>`;
}

export function approvalCard({ request, account, useCaseFormConfigured }: ApprovalCardInput): SlackMessage {
  const model = request.baseModelId;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`Activation request: ${model}`, LIMITS.headerText) },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${mention(request.requester.userId)} asks for ${inlineCode(model, 200)}, saying:`,
      },
    },
    // The requester's words in a block of their own, as plain text: nothing in them renders as the bot's formatting.
    { type: 'section', text: userText(request.reason, 1200) },
    ...joinersBlock(request),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Model*\n${inlineCode(request.modelRef, 300)}` },
        { type: 'mrkdwn', text: `*Provider*\n${escapeMrkdwn(truncate(request.provider, 100))}` },
        { type: 'mrkdwn', text: `*Account*\n${accountText(request, account)}` },
        { type: 'mrkdwn', text: `*Region*\n${inlineCode(request.region, 40)}` },
        { type: 'mrkdwn', text: `*Status*\n${STATE_LABEL[request.state]}` },
      ],
    },
  ];
  const offer = offerText(request);
  if (offer) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: offer } });
  if (request.state === 'REQUESTED') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: planText(request, account, useCaseFormConfigured) } });
  }
  const progress = progressText(request);
  if (progress) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: progress } });
  const outcome = outcomeText(request);
  if (outcome) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: outcome } });
  if (request.state === 'REJECTED') blocks.push(rejectReasonBlock(request));
  if (request.state === 'REQUESTED') blocks.push({ type: 'actions', elements: decisionButtons(request) });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `Request \`${escapeMrkdwn(request.id)}\` · asked ${escapeMrkdwn(request.createdAt)}` },
    ],
  });
  const fallback = `Activation request for ${model} in ${request.region} (${request.state.toLowerCase()})`;
  return { text: escapeMrkdwn(truncate(fallback, 300)), blocks };
}

function joinersBlock(request: ActivationRequest): KnownBlock[] {
  if (request.joiners.length === 0) return [];
  const shown = request.joiners.slice(0, 20).map((j) => mention(j.userId));
  const more = request.joiners.length > 20 ? ` and ${request.joiners.length - 20} more` : '';
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Also asked by ${shown.join(', ')}${more}` }] }];
}

function accountText(request: ActivationRequest, account: ApprovalCardAccount | undefined): string {
  const parts = [account?.alias, account?.id ?? request.accountId].filter((x): x is string => Boolean(x));
  return escapeMrkdwn(truncate([...new Set(parts)].join(' · '), 150));
}

function offerText(request: ActivationRequest): string | undefined {
  if (!request.offer) return undefined;
  const lines = ['*Offer*'];
  const prices = request.offer.summary.split('\n').filter(Boolean).slice(0, 6);
  lines.push(...prices.map((p) => `• ${truncateEscaped(p, 200)}`));
  const link = termsLink(request.offer.termsUrl);
  if (link) lines.push(link);
  return truncate(lines.join('\n'), LIMITS.sectionText);
}

function planText(
  request: ActivationRequest,
  account: ApprovalCardAccount | undefined,
  useCaseFormConfigured: boolean | undefined,
): string {
  const role = account?.activationRoleArn ? inlineCode(account.activationRoleArn, 200) : '_the activation role_';
  const steps = [`1. Assume ${role} as the approver (CloudTrail shows who approved).`];
  if (providerOf(request.baseModelId)?.useCaseForm) {
    steps.push(
      useCaseFormConfigured === false
        ? `${steps.length + 1}. Check that AWS has an Anthropic use-case form on file: this bot has none to submit (no USE_CASE_FORM_FILE), so without one the activation fails.`
        : `${steps.length + 1}. Submit the organisation's Anthropic use-case form, if none is on file.`,
    );
  }
  steps.push(`${steps.length + 1}. Accept the model's offer for the account.`);
  steps.push(`${steps.length + 1}. Wait until AWS reports the model available twice in a row.`);
  return `*Approve will:*\n${steps.join('\n')}`;
}

const STEP_TEXT: Record<string, Partial<Record<ActivationStep['status'], string>>> = {
  assume_role: { done: 'Role assumed', failed: 'Could not assume the activation role' },
  use_case_form: {
    done: 'Use-case form submitted',
    skipped: 'Use-case form: {detail}',
    failed: 'Use-case form failed',
  },
  create_agreement: { done: 'Offer accepted', skipped: 'Offer: {detail}', failed: 'Accepting the offer failed' },
  wait_until_available: {
    started: 'Waiting for AWS to settle the agreement …',
    done: 'AWS reports it available',
    failed: 'AWS reported an error',
  },
};

function progressText(request: ActivationRequest): string | undefined {
  const lines: string[] = [];
  if (request.decidedBy && ['APPROVED', 'ACTIVATING', 'ACTIVE', 'FAILED'].includes(request.state)) {
    lines.push(
      `:white_check_mark: Approved by ${mention(request.decidedBy.userId)} at ${escapeMrkdwn(request.decidedAt ?? '')}`,
    );
  }
  // Only the latest status of each step: "waiting …" gives way to "available".
  const latest = new Map<string, ActivationStep>();
  for (const step of request.progress) {
    if (STEP_TEXT[step.step]?.[step.status]) latest.set(step.step, step);
  }
  for (const step of latest.values()) {
    const template = STEP_TEXT[step.step]?.[step.status] ?? '';
    const detail = truncateEscaped(step.detail ?? '', 200);
    const text = template.includes('{detail}') ? template.replace('{detail}', detail) : escapeMrkdwn(template);
    const icon =
      step.status === 'failed' ? ':x:' : step.status === 'started' ? ':hourglass_flowing_sand:' : ':heavy_check_mark:';
    lines.push(`${icon} ${text}`);
  }
  return lines.length > 0 ? truncate(lines.join('\n'), LIMITS.sectionText) : undefined;
}

function outcomeText(request: ActivationRequest): string | undefined {
  const by = request.decidedBy ? mention(request.decidedBy.userId) : 'the bot';
  const at = escapeMrkdwn(request.finishedAt ?? request.updatedAt);
  switch (request.state) {
    case 'ACTIVE':
      return `:large_green_circle: *Active.* ${inlineCode(request.baseModelId, 200)} can be called in this account now. Calls can still fail for about 2 more minutes while AWS finishes.`;
    case 'FAILED':
      return `:red_circle: *Failed:* ${truncateEscaped(request.error?.message ?? 'no reason was recorded', 1500)}\nFix the cause, then ask again with \`/bedrock request ${escapeMrkdwn(truncate(request.baseModelId, 200))}\`.`;
    case 'REJECTED':
      return `:no_entry: Rejected by ${by} at ${at}, saying:`;
    case 'EXPIRED':
      return `:zzz: Expired at ${at}: nobody decided in time.`;
    case 'CANCELLED':
      return `:heavy_multiplication_x: Cancelled by ${by} at ${at}.`;
    case 'ACTIVATING': {
      const waiting = request.progress.at(-1);
      return waiting?.step === 'wait_until_available' &&
        waiting.status === 'done' &&
        waiting.detail?.startsWith('still')
        ? ':hourglass_flowing_sand: AWS has not settled the agreement yet; the bot keeps checking and will update this card.'
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The approver's reason, as plain text in its own block (see `userText`). */
export function rejectReasonBlock(request: ActivationRequest): KnownBlock {
  return { type: 'section', text: userText(request.error?.message || 'no reason was given', 1500) };
}

function decisionButtons(request: ActivationRequest): Button[] {
  return [
    {
      type: 'button',
      action_id: ACTION.approve,
      text: { type: 'plain_text', text: 'Approve', emoji: true },
      style: 'primary',
      value: request.id,
      confirm: {
        title: plainText('Accept the offer terms?', 100),
        text: {
          type: 'mrkdwn',
          text: truncate(
            `Approving accepts the offer terms of ${inlineCode(request.baseModelId, 200)} for account ${escapeMrkdwn(request.accountId)} and activates it for every role there.`,
            300,
          ),
        },
        confirm: plainText('Approve and accept', 30),
        deny: plainText('Not yet', 30),
      },
    },
    {
      type: 'button',
      action_id: ACTION.reject,
      text: { type: 'plain_text', text: 'Reject', emoji: true },
      style: 'danger',
      value: request.id,
    },
  ];
}
