// The approval card and request messages: rendered from the stored request only, within Slack's limits, with every
// piece of user or AWS text inert.
import { describe, expect, it } from 'vitest';
import type { ActivationRequest } from '../../../src/access/request-repository.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { approvalCard } from '../../../src/slack/blocks/approval-card.js';
import { requestEndedMessage, requestListMessage } from '../../../src/slack/blocks/request-messages.js';
import { readRequestSubmission } from '../../../src/slack/blocks/request-modal.js';
import {
  buttonsOf,
  limitViolations,
  liveMarkup,
  mrkdwnText,
  userTexts,
  visibleText,
} from '../../support/slack/slack-assertions.js';

function aRequest(overrides: Partial<ActivationRequest> = {}): ActivationRequest {
  return {
    id: '0b6f1c1e-2f43-4c1b-9a51-5d2c7e0a9b11',
    accountId: '111122223333',
    region: 'us-east-1',
    modelRef: 'cohere.command-r-plus-v1:0',
    baseModelId: 'cohere.command-r-plus-v1:0',
    provider: 'Cohere',
    requester: { userId: 'U0REQUEST1', at: '2026-11-26T10:00:00.000Z' },
    joiners: [],
    reason: 'Ticket summaries',
    state: 'REQUESTED',
    version: 1,
    progress: [],
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    ...overrides,
  };
}

const HOSTILE = '<!channel> <@U0BOSS> <https://evil.example|click> & *bold*';

describe('approval card', () => {
  it('keeps every user- and AWS-provided text inert and stays within Slack limits', () => {
    const card = approvalCard({
      request: aRequest({
        reason: `${HOSTILE} ${'x'.repeat(5000)}`,
        provider: HOSTILE,
        offer: { summary: `${HOSTILE}\n${'price line\n'.repeat(50)}`, termsUrl: 'https://x.example/terms|<!here>' },
        joiners: Array.from({ length: 40 }, (_, i) => ({ userId: `U0JOIN${String(i).padStart(4, '0')}`, at: 'now' })),
      }),
      account: { id: '111122223333', alias: `<!here> alias`, activationRoleArn: 'arn:aws:iam::111122223333:role/act' },
    });
    expect(limitViolations(card)).toEqual([]);
    const shown = visibleText(card);
    const formatted = mrkdwnText(card);
    expect(liveMarkup(formatted).filter((m) => !/^<@U0(REQUEST1|JOIN\d{4})>$/.test(m))).toEqual([]);
    expect(formatted).not.toContain('evil.example|click>');
    expect(formatted).not.toContain('x'.repeat(100));
    // The reason is shown as typed, as plain text Slack does not format.
    expect(userTexts(card)[0]).toMatch(/^<!channel> <@U0BOSS> <https:\/\/evil\.example\|click> & \*bold\* x+…$/);
    expect(shown).not.toContain('review the offer terms');
  });

  it('links only a plain https terms URL, and lists the exact steps Approve will run', () => {
    const anthropic = approvalCard({
      request: aRequest({
        baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        modelRef: 'anthropic.claude-3-haiku-20240307-v1:0',
        offer: {
          summary: 'input_tokens: 0.00025 per 1K tokens',
          termsUrl: 'https://aws.amazon.com/legal/terms?a=1&b=2',
        },
      }),
      account: { id: '111122223333', alias: 'sandbox', activationRoleArn: 'arn:aws:iam::111122223333:role/act' },
    });
    const shown = visibleText(anthropic);
    expect(shown).toContain('<https://aws.amazon.com/legal/terms?a=1&amp;b=2|review the offer terms (EULA)>');
    expect(shown).toContain('1. Assume `arn:aws:iam::111122223333:role/act` as the approver');
    expect(shown).toContain("2. Submit the organisation's Anthropic use-case form, if none is on file.");
    expect(shown).toContain('3. Accept the model');
    expect(shown).toContain('4. Wait until AWS reports the model available twice in a row.');
  });

  it('says so when the bot has no use-case form to submit for an Anthropic model', () => {
    const request = aRequest({
      baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      modelRef: 'anthropic.claude-3-haiku-20240307-v1:0',
    });
    const shown = visibleText(approvalCard({ request, useCaseFormConfigured: false }));
    expect(shown).toContain('2. Check that AWS has an Anthropic use-case form on file: this bot has none to submit');
    expect(shown).not.toContain("Submit the organisation's Anthropic use-case form");
    expect(visibleText(approvalCard({ request, useCaseFormConfigured: true }))).toContain(
      "2. Submit the organisation's Anthropic use-case form, if none is on file.",
    );
  });

  it('carries only the request key on Approve and Reject; Approve asks to confirm accepting the offer terms', () => {
    const card = approvalCard({ request: aRequest() });
    const buttons = buttonsOf(card) as Array<{
      action_id: string;
      value?: string;
      confirm?: { text: { text: string } };
    }>;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.approve, aRequest().id],
      [ACTION.reject, aRequest().id],
    ]);
    expect(buttons[0]?.confirm?.text.text).toContain('accepts the offer terms');
  });

  it('shows progress and the outcome, with no buttons once decided', () => {
    const active = approvalCard({
      request: aRequest({
        state: 'ACTIVE',
        decidedBy: { userId: 'U0APPROVER1' },
        decidedAt: '2026-11-26T10:01:00.000Z',
        progress: [
          { step: 'assume_role', status: 'done', at: 't' },
          { step: 'create_agreement', status: 'done', at: 't' },
          { step: 'wait_until_available', status: 'started', at: 't' },
          { step: 'wait_until_available', status: 'done', at: 't', detail: 'AVAILABLE' },
        ],
      }),
    });
    const shown = visibleText(active);
    expect(shown).toContain('Approved by <@U0APPROVER1> at 2026-11-26T10:01:00.000Z');
    expect(shown).toContain('Role assumed');
    expect(shown).toContain('Offer accepted');
    expect(shown).toContain('AWS reports it available');
    expect(shown).not.toContain('Waiting for AWS');
    expect(shown).toContain('about 2 more minutes');
    expect(buttonsOf(active)).toEqual([]);
  });

  it('never turns a stored value that is not a Slack user id into a mention', () => {
    const card = approvalCard({ request: aRequest({ requester: { userId: '!channel', at: 'now' } }) });
    expect(liveMarkup(visibleText(card))).toEqual([]);
  });
});

describe('request messages', () => {
  it('tells a failed request’s reason escaped, and a way to ask again', () => {
    const text = visibleText(
      requestEndedMessage(aRequest({ state: 'FAILED', error: { code: 'X', message: `AWS said ${HOSTILE}` } })),
    );
    expect(liveMarkup(text)).toEqual([]);
    expect(text).toContain('/bedrock request cohere.command-r-plus-v1:0');
  });

  it('lists requests within limits, linking each card only through a plain https permalink', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      request: aRequest({ id: `id-${i}` }),
      link: i === 0 ? 'https://example.slack.com/archives/C1/p1' : 'javascript:alert(1)',
    }));
    const list = requestListMessage(many, 'all');
    expect(limitViolations(list)).toEqual([]);
    expect(visibleText(list)).toContain('<https://example.slack.com/archives/C1/p1|');
    expect(visibleText(list)).not.toContain('javascript:');
  });
});

describe('request modal submission', () => {
  const accounts = [{ key: '111122223333', label: 'sandbox', regions: ['us-east-1'] }];
  const state = (values: Record<string, string>) => ({
    values: Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        { value: k === 'account' || k === 'region' ? { selected_option: { value: v } } : { value: v } },
      ]),
    ),
  });

  it('accepts good values and bounds the reason', () => {
    const ok = readRequestSubmission(
      state({
        model: 'cohere.command-r-plus-v1:0',
        account: '111122223333',
        region: 'us-east-1',
        reason: 'Summaries for support.',
      }),
      accounts,
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        modelRef: 'cohere.command-r-plus-v1:0',
        accountKey: '111122223333',
        region: 'us-east-1',
        reason: 'Summaries for support.',
      },
    });
    const long = readRequestSubmission(
      state({
        model: 'cohere.command-r-plus-v1:0',
        account: '111122223333',
        region: 'us-east-1',
        reason: 'y'.repeat(1001),
      }),
      accounts,
    );
    expect(long.ok).toBe(false);
  });

  it('refuses an account that is not in the list (a forged submission)', () => {
    const forged = readRequestSubmission(
      state({
        model: 'cohere.command-r-plus-v1:0',
        account: '999988887777',
        region: 'us-east-1',
        reason: 'Summaries for support.',
      }),
      accounts,
    );
    expect(forged).toEqual({ ok: false, errors: { account: 'Choose one of the accounts in the list.' } });
  });
});
