// The "Request activation" and "Reject" modals, and the reading of their submissions. Pure.
import type { View } from '@slack/types';
import { AWS_REGION_RE } from '../../aws-shapes.js';
import { MODEL_REF_PATTERN, REQUEST_KEY_PATTERN, VIEW } from '../action-ids.js';
import { plainText, truncate } from './mrkdwn.js';

export const REASON_MAX = 1000;

export interface ModalAccount {
  /** Registry key: id, or alias for an unnamed default account. */
  key: string;
  label: string;
  regions: string[];
}

export interface RequestModalInput {
  modelRef?: string;
  accounts: ModalAccount[];
  accountKey?: string;
  region?: string;
}

export const REQUEST_BLOCKS = { model: 'model', account: 'account', region: 'region', reason: 'reason' } as const;

/** Slack lists at most 100 options in a static select; past that the account menu loads them as people type. */
export const STATIC_SELECT_MAX = 100;

/** The accounts matching what someone typed in the account menu (alias, name or id), at most 100, for Slack. */
export function accountSuggestions(accounts: readonly ModalAccount[], typed: string) {
  const query = typed.trim().toLowerCase();
  return accounts
    .filter((a) => a.key.toLowerCase().includes(query) || a.label.toLowerCase().includes(query))
    .slice(0, STATIC_SELECT_MAX)
    .map((a) => ({ text: plainText(a.label, 75), value: a.key }));
}

export function requestModal(input: RequestModalInput): View {
  const account = input.accounts.find((a) => a.key === input.accountKey) ?? input.accounts[0];
  const regions = [...new Set([...(account?.regions ?? []), ...input.accounts.flatMap((a) => a.regions)])];
  const region = input.region && regions.includes(input.region) ? input.region : account?.regions[0];
  // A region asked for that no account has is said, not silently swapped for another in the prefilled form.
  const unknownRegion = input.region && !regions.includes(input.region) ? input.region : undefined;
  const option = (value: string, label: string) => ({ text: plainText(label, 75), value });
  return {
    type: 'modal',
    callback_id: VIEW.requestModal,
    title: plainText('Request activation', 24),
    submit: plainText('Send to approvers', 24),
    close: plainText('Cancel', 24),
    blocks: [
      {
        type: 'input',
        block_id: REQUEST_BLOCKS.model,
        label: plainText('Model', 50),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          max_length: 300,
          ...(input.modelRef && MODEL_REF_PATTERN.test(input.modelRef) ? { initial_value: input.modelRef } : {}),
          placeholder: plainText('anthropic.claude-3-haiku-20240307-v1:0', 150),
        },
      },
      {
        type: 'input',
        block_id: REQUEST_BLOCKS.account,
        label: plainText('AWS account', 50),
        element: {
          ...(input.accounts.length > STATIC_SELECT_MAX
            ? {
                type: 'external_select' as const,
                min_query_length: 0,
                placeholder: plainText('Type an account alias or id', 150),
              }
            : { type: 'static_select' as const, options: input.accounts.map((a) => option(a.key, a.label)) }),
          action_id: 'value',
          ...(account ? { initial_option: option(account.key, account.label) } : {}),
        },
      },
      ...(unknownRegion
        ? [
            {
              type: 'context' as const,
              elements: [
                {
                  type: 'plain_text' as const,
                  text: truncate(
                    `${unknownRegion} is not enabled for any account here; choose one of the regions below.`,
                    300,
                  ),
                },
              ],
            },
          ]
        : []),
      {
        type: 'input',
        block_id: REQUEST_BLOCKS.region,
        label: plainText('Region', 50),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: regions.slice(0, 100).map((r) => option(r, r)),
          ...(region ? { initial_option: option(region, region) } : {}),
        },
      },
      {
        type: 'input',
        block_id: REQUEST_BLOCKS.reason,
        label: plainText('Why do you need it?', 50),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: REASON_MAX,
          placeholder: plainText('What you will build with it, and for whom', 150),
        },
      },
    ],
  };
}

export interface SubmittedRequest {
  modelRef: string;
  accountKey: string;
  region: string;
  reason: string;
}

type ViewState = {
  values: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;
};

/** A submitted value; anything Slack would not send (no state, a number) reads as empty, so it is asked for again. */
function field(state: ViewState | null | undefined, block: string): string {
  const v = state?.values?.[block]?.value;
  const raw: unknown = v?.value ?? v?.selected_option?.value;
  return typeof raw === 'string' ? raw.trim() : '';
}

/** The submitted values, or the errors to show next to each field (`response_action: errors`). */
export function readRequestSubmission(
  state: ViewState | null | undefined,
  accounts: ModalAccount[],
): { ok: true; value: SubmittedRequest } | { ok: false; errors: Record<string, string> } {
  const modelRef = field(state, REQUEST_BLOCKS.model);
  const accountKey = field(state, REQUEST_BLOCKS.account);
  const region = field(state, REQUEST_BLOCKS.region);
  const reason = field(state, REQUEST_BLOCKS.reason);
  const errors: Record<string, string> = {};
  if (!MODEL_REF_PATTERN.test(modelRef)) {
    errors[REQUEST_BLOCKS.model] = 'Enter a Bedrock model id, inference-profile id or ARN (no spaces).';
  }
  const account = accounts.find((a) => a.key === accountKey);
  if (!account) errors[REQUEST_BLOCKS.account] = 'Choose one of the accounts in the list.';
  if (!AWS_REGION_RE.test(region)) errors[REQUEST_BLOCKS.region] = 'Choose a region.';
  else if (account && !account.regions.includes(region)) {
    errors[REQUEST_BLOCKS.region] = truncate(
      `Account ${account.label} is set up for ${account.regions.join(', ')} only.`,
      150,
    );
  }
  if (reason.length < 10)
    errors[REQUEST_BLOCKS.reason] = 'Say in a sentence what you need the model for (at least 10 characters).';
  else if (reason.length > REASON_MAX) errors[REQUEST_BLOCKS.reason] = `Keep it under ${REASON_MAX} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { modelRef, accountKey, region, reason } };
}

export function rejectModal(requestId: string, channelId?: string): View {
  return {
    type: 'modal',
    callback_id: VIEW.rejectModal,
    private_metadata: JSON.stringify({ id: requestId, ...(channelId ? { c: channelId } : {}) }),
    title: plainText('Reject request', 24),
    submit: plainText('Reject', 24),
    close: plainText('Back', 24),
    blocks: [
      { type: 'section', text: plainText('The requester and everyone who joined see your reason.', 300) },
      {
        type: 'input',
        block_id: REQUEST_BLOCKS.reason,
        label: plainText('Reason', 50),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

/** The request key and channel a reject modal was opened for; undefined when the metadata is not ours. */
export function readRejectMetadata(raw: string | undefined): { requestId: string; channelId?: string } | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as { id?: unknown; c?: unknown };
    if (typeof parsed.id !== 'string' || !REQUEST_KEY_PATTERN.test(parsed.id)) return undefined;
    const channelId = typeof parsed.c === 'string' && /^[CGD][A-Z0-9]{2,30}$/.test(parsed.c) ? parsed.c : undefined;
    return { requestId: parsed.id, ...(channelId ? { channelId } : {}) };
  } catch {
    return undefined;
  }
}

export function readRejectSubmission(
  state: ViewState | null | undefined,
): { ok: true; reason: string } | { ok: false; errors: Record<string, string> } {
  const reason = field(state, REQUEST_BLOCKS.reason);
  if (reason.length < 3) return { ok: false, errors: { [REQUEST_BLOCKS.reason]: 'Give the requester a reason.' } };
  if (reason.length > REASON_MAX)
    return { ok: false, errors: { [REQUEST_BLOCKS.reason]: `Keep it under ${REASON_MAX} characters.` } };
  return { ok: true, reason };
}
