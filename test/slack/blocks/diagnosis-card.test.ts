import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/slack/action-ids.js';
import { diagnosisCard, isEmptyDiagnosis } from '../../../src/slack/blocks/diagnosis-card.js';
import { aDiagnosis, UNKNOWN_DIAGNOSIS } from '../../support/slack/fixtures.js';
import { buttonsOf, limitViolations, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';

const HOSTILE = '<!channel> <!here> <@U0ATTACK1> <#C0SECRET1> <https://evil.example|login> & `x` ``` *bold*';

describe('diagnosisCard', () => {
  it('shows title, explanation, facts, numbered steps with code, notes and both buttons', () => {
    // Act
    const card = diagnosisCard({ diagnosis: aDiagnosis(), pasted: 'AccessDeniedException …', showExcerpt: true });

    // Assess
    const shown = visibleText(card);
    expect(card.blocks[0]).toMatchObject({ type: 'header' });
    expect(shown).toContain('*Model:* `anthropic.claude-3-5-sonnet-20240620-v1:0`');
    expect(shown).toContain('*IAM actions:* `aws-marketplace:ViewSubscriptions`, `aws-marketplace:Subscribe`');
    expect(shown).toContain('*1. Ask an admin to activate the model once* _(recommended)_');
    expect(shown).toContain('*2. Or grant the Marketplace actions*');
    expect(shown).toContain('```\n{"Effect":"Allow"');
    expect(shown).toContain('A new subscription takes up to 2 minutes to settle.');
    expect(buttonsOf(card)).toEqual([
      expect.objectContaining({
        action_id: ACTION.checkStatus,
        value: '{"m":"anthropic.claude-3-5-sonnet-20240620-v1:0","r":"us-east-1"}',
      }),
      expect.objectContaining({ action_id: ACTION.requestActivation }),
    ]);
    expect(limitViolations(card)).toEqual([]);
  });

  it('offers no activation button when activation cannot help, and no buttons without a model', () => {
    const noActivation = diagnosisCard({
      diagnosis: aDiagnosis({ activationCanHelp: false }),
      pasted: 'x',
      showExcerpt: false,
    });
    expect(buttonsOf(noActivation).map((b) => b.action_id)).toEqual([ACTION.checkStatus]);
    const noModel = diagnosisCard({
      diagnosis: aDiagnosis({ facts: { exception: 'AccessDeniedException' } }),
      pasted: 'x',
      showExcerpt: false,
    });
    expect(buttonsOf(noModel)).toEqual([]);
  });

  it('offers no button for a model reference the button listener would refuse', () => {
    const d = aDiagnosis({ facts: { modelId: 'anthropic.claude v2 <x>' } });
    expect(buttonsOf(diagnosisCard({ diagnosis: d, pasted: 'x', showExcerpt: false }))).toEqual([]);
  });

  it('leaves the region out of the button when the fact is not a region', () => {
    const d = aDiagnosis({ facts: { modelId: 'anthropic.claude-v2', region: 'moon-1' } });
    const [button] = buttonsOf(diagnosisCard({ diagnosis: d, pasted: 'x', showExcerpt: false }));
    expect(button?.value).toBe('{"m":"anthropic.claude-v2"}');
  });

  it('escapes hostile text everywhere it can appear, code blocks included', () => {
    // Prepare
    const d = aDiagnosis({
      title: `Title ${HOSTILE}`,
      explanation: `Explanation ${HOSTILE}`,
      facts: { principalArn: HOSTILE, resource: HOSTILE, modelId: 'anthropic.claude-v2' },
      steps: [{ title: HOSTILE, detail: HOSTILE, code: { language: 'bash', content: HOSTILE } }],
      notes: [HOSTILE],
    });

    // Act
    const card = diagnosisCard({ diagnosis: d, pasted: HOSTILE, showExcerpt: true });

    // Assess
    const mrkdwn = card.blocks
      .filter((b) => b.type !== 'header')
      .map((b) => visibleText({ blocks: [b] }))
      .join('\n');
    expect(liveMarkup(mrkdwn)).toEqual([]);
    expect(liveMarkup(card.text)).toEqual([]);
    expect(mrkdwn).toContain('&lt;!channel&gt;');
  });

  it('keeps a 40 KB paste and huge diagnosis within Slack limits', () => {
    // Prepare
    const big = 'AccessDeniedException <!channel> & '.repeat(1200);
    const d = aDiagnosis({
      explanation: big,
      steps: Array.from({ length: 30 }, (_, i) => ({
        title: `Step ${i} ${big.slice(0, 500)}`,
        detail: big,
        code: { language: 'json' as const, content: big },
      })),
      notes: Array.from({ length: 20 }, () => big),
    });

    // Act
    const card = diagnosisCard({ diagnosis: d, pasted: big, showExcerpt: true });

    // Assess
    expect(big.length).toBeGreaterThan(40_000);
    expect(limitViolations(card)).toEqual([]);
    expect(visibleText(card)).toContain('Read 42,000 characters');
    expect(visibleText(card)).toMatch(/more steps: run `bedrock-doctor why`/);
    expect(liveMarkup(visibleText(card))).toEqual([]);
  });

  it('says when the engine read only the first 256 KB', () => {
    const card = diagnosisCard({
      diagnosis: aDiagnosis({ truncated: true }),
      pasted: 'x'.repeat(300_000),
      showExcerpt: false,
    });
    expect(visibleText(card)).toContain('Read the first 256 KB of 300,000 characters');
  });

  it('stays within limits and inert for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.string({ maxLength: 5000 }), (a, b) => {
        const card = diagnosisCard({
          diagnosis: aDiagnosis({
            explanation: a,
            steps: [{ title: b, code: { language: 'text', content: a + b } }],
            notes: [b],
          }),
          pasted: a,
          showExcerpt: true,
        });
        expect(limitViolations(card)).toEqual([]);
        const mrkdwn = card.blocks
          .filter((x) => x.type !== 'header')
          .map((x) => visibleText({ blocks: [x] }))
          .join('\n');
        expect(mrkdwn).not.toMatch(/<[^>]*>/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('isEmptyDiagnosis', () => {
  it('is true only for an unknown category with no facts', () => {
    expect(isEmptyDiagnosis(UNKNOWN_DIAGNOSIS)).toBe(true);
    expect(isEmptyDiagnosis({ ...UNKNOWN_DIAGNOSIS, facts: { modelId: 'anthropic.claude-v2' } })).toBe(false);
    expect(isEmptyDiagnosis(aDiagnosis())).toBe(false);
  });
});
