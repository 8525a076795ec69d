import { describe, expect, it } from 'vitest';
import { VERDICTS } from '../../../src/access/status-report.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { checkingMessage, statusCard } from '../../../src/slack/blocks/status-card.js';
import { aStatusReport } from '../../support/slack/fixtures.js';
import { buttonsOf, limitViolations, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';

describe('statusCard', () => {
  it('shows invisible format characters from AWS or the request visibly and never passes them on (issue 9)', () => {
    // Prepare: text that reaches the card from outside (AWS's agreement error, model name, the typed reference).
    const card = statusCard(
      aStatusReport('ACTIVATION_FAILED', {
        modelName: 'Claude\u202E 3',
        explanation: 'AWS said: card\u2066 declined\u200B.',
        degraded: ['GetFoundationModel failed: \u061Cbad\uFEFF'],
      }),
    );
    const checking = checkingMessage('anthropic.claude\u202E-v2', ['us-east-1']);

    // Assess
    for (const message of [card, checking]) expect(JSON.stringify(message)).not.toMatch(/\p{Cf}/u);
    const shown = visibleText(card);
    expect(shown).toContain('Claude&lt;U+202E&gt; 3');
    expect(shown).toContain('AWS said: card&lt;U+2066&gt; declined&lt;U+200B&gt;.');
    expect(shown).toContain('&lt;U+061C&gt;bad&lt;U+FEFF&gt;');
    expect(visibleText(checking)).toContain('anthropic.claude&lt;U+202E&gt;-v2');
  });

  it.each(VERDICTS)('renders %s with its explanation, region row and next step', (verdict) => {
    const card = statusCard(aStatusReport(verdict));
    const shown = visibleText(card);
    expect(shown).toContain(`Explanation for ${verdict}.`);
    expect(shown).toContain(`\`us-east-1\` us-east-1 is ${verdict}`);
    expect(shown).toContain(`*Next step:* Next step for ${verdict}.`);
    expect(limitViolations(card)).toEqual([]);
  });

  it('offers activation only where an admin activation would resolve it', () => {
    const withButton = VERDICTS.filter((v) => buttonsOf(statusCard(aStatusReport(v))).length > 0);
    expect(withButton).toEqual(['NEEDS_ACTIVATION', 'NEEDS_USE_CASE_FORM', 'ACTIVATION_FAILED']);
    expect(buttonsOf(statusCard(aStatusReport('NEEDS_ACTIVATION')))[0]).toMatchObject({
      action_id: ACTION.requestActivation,
      value: '{"m":"anthropic.claude-3-5-sonnet-20240620-v1:0","r":"us-east-1","a":"123456789012"}',
    });
  });

  it('links offer terms only when the URL is a plain https URL, and lists prices, suggestions and gaps', () => {
    // Act
    const card = statusCard(
      aStatusReport('NEEDS_ACTIVATION', {
        offer: { termsUrl: 'https://aws.amazon.com/marketplace/terms?a=1&b=2', pricing: ['$3 per 1M input tokens'] },
        suggestions: ['anthropic.claude-3-haiku-20240307-v1:0'],
        missingPermissions: ['bedrock:ListFoundationModelAgreementOffers'],
        degraded: ['Pricing could not be read (timeout).'],
      }),
    );
    const sneaky = statusCard(
      aStatusReport('NEEDS_ACTIVATION', { offer: { termsUrl: 'https://x|<!channel>', pricing: [] } }),
    );

    // Assess
    const shown = visibleText(card);
    expect(shown).toContain('<https://aws.amazon.com/marketplace/terms?a=1&amp;b=2|review the EULA>');
    expect(shown).toContain('$3 per 1M input tokens');
    expect(shown).toContain('*Did you mean:* `anthropic.claude-3-haiku-20240307-v1:0`');
    expect(shown).toContain("*The bot's own role lacks:* `bedrock:ListFoundationModelAgreementOffers`");
    expect(shown).toContain('Pricing could not be read (timeout).');
    expect(liveMarkup(visibleText(sneaky))).toEqual([]);
  });

  it('summarises many regions within limits and escapes AWS text', () => {
    const regions = Array.from({ length: 40 }, (_, i) => ({
      region: `us-east-${i}`,
      verdict: 'NOT_IN_REGION' as const,
      summary: `<!channel> ${'y'.repeat(300)}`,
    }));
    const card = statusCard(aStatusReport('NOT_IN_REGION', { regions, explanation: '<@U0X> & '.repeat(500) }));
    expect(limitViolations(card)).toEqual([]);
    expect(visibleText(card)).toContain('… and 20 more regions');
    expect(liveMarkup(visibleText(card))).toEqual([]);
  });
  it('keeps markup inert in every field that comes from AWS or the user, and links no non-https URL', () => {
    // Prepare
    const evil = '<!channel> <@U0EVIL> <https://evil.example|click> &';
    const report = aStatusReport('NEEDS_ACTIVATION', {
      modelRef: 'anthropic.claude-v2',
      modelName: evil,
      providerName: evil,
      account: { alias: evil, id: '123456789012' },
      callerArn: `arn:aws:sts::123456789012:assumed-role/${evil}`,
      title: evil,
      explanation: evil,
      nextStep: evil,
      suggestions: [evil],
      missingPermissions: [evil],
      degraded: [evil],
      offer: { termsUrl: 'javascript:alert(1)', pricing: [evil] },
      regions: [{ region: 'us-east-1', verdict: 'NEEDS_ACTIVATION', summary: evil, agreementError: evil }],
    });

    // Act
    const card = statusCard(report);

    // Assess: Slack parses markup in mrkdwn text and the fallback; plain_text (the header) is shown as typed.
    const shown = visibleText(card);
    const mrkdwn = JSON.stringify(card.blocks).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(mrkdwn.length).toBeGreaterThan(5);
    expect(mrkdwn.flatMap((t) => liveMarkup(t))).toEqual([]);
    expect(liveMarkup(card.text)).toEqual([]);
    expect(shown).not.toContain('javascript:');
    expect(shown).toContain('&lt;!channel&gt;');
    expect(limitViolations(card)).toEqual([]);
  });
});
