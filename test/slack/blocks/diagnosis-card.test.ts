import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import { revealInvisibles } from '../../../src/diagnosis/invisible-chars.js';
import { ACTION } from '../../../src/slack/action-ids.js';
import { diagnosisCard, isEmptyDiagnosis } from '../../../src/slack/blocks/diagnosis-card.js';
import { truncateEscaped } from '../../../src/slack/blocks/mrkdwn.js';
import { aDiagnosis, UNKNOWN_DIAGNOSIS } from '../../support/slack/fixtures.js';
import { buttonsOf, limitViolations, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';

const HOSTILE = '<!channel> <!here> <@U0ATTACK1> <#C0SECRET1> <https://evil.example|login> & `x` ``` *bold*';

const INVISIBLE = /[\p{Cf}]/u;

describe('diagnosisCard: look-alike and invisible characters (issue 9)', () => {
  const denied =
    'An error occurred (AccessDeniedException) when calling the InvokeModel operation: User: ' +
    'arn:aws:sts::123456789012:assumed-role/app/w is not authorized to perform: bedrock:InvokeModel on resource: ';

  it('says a look-alike ARN is not trusted and offers no button from it', () => {
    // Prepare
    const pasted = `${denied}\u0430rn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`;

    // Act
    const card = diagnosisCard({ diagnosis: diagnose(pasted), pasted, showExcerpt: true });

    // Assess
    const shown = visibleText(card);
    expect(shown).toContain(':warning: *Not trusted*');
    expect(shown).toContain(
      '• `&lt;U+0430&gt;rn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0` looks ' +
        'like an ARN but contains look-alike characters (U+0430); nothing was read from it.',
    );
    expect(shown).not.toContain('*Model:*');
    expect(shown).not.toContain('*Region:*');
    expect(buttonsOf(card)).toEqual([]);
  });

  it('answers a paste that is nothing but a look-alike identifier instead of the empty-paste hint', () => {
    const d = diagnose('anthr\u03BFpic.claude-3-haiku-20240307-v1:0');
    expect(isEmptyDiagnosis(d)).toBe(false);
    expect(visibleText(diagnosisCard({ diagnosis: d, pasted: 'x', showExcerpt: false }))).toContain(
      'looks like a model id but contains look-alike characters (U+03BF)',
    );
  });

  it('shows bidi controls, zero-width and other format characters visibly in the excerpt, facts and title', () => {
    // Prepare: the paste, a fact and the title each carry invisible characters.
    const pasted = `AccessDeniedException model \u202Egnp.live\u202C \u2066x\u2069 a\u200Bb\u200Ec\u061Cd\uFEFFe\u{E0041}`;
    const d = aDiagnosis({
      title: 'Title \u202Ereversed',
      facts: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0\u202E', resource: 'x\u2067y' },
    });

    // Act
    const card = diagnosisCard({ diagnosis: d, pasted, showExcerpt: true });

    // Assess: nothing invisible is left anywhere in what Slack renders, and each one is named.
    const json = JSON.stringify(card);
    expect(json).not.toMatch(INVISIBLE);
    const shown = visibleText(card);
    expect(shown).toContain('&lt;U+202E&gt;gnp.live&lt;U+202C&gt; &lt;U+2066&gt;x&lt;U+2069&gt;');
    expect(shown).toContain('a&lt;U+200B&gt;b&lt;U+200E&gt;c&lt;U+061C&gt;d&lt;U+FEFF&gt;e&lt;U+E0041&gt;');
    expect(shown).toContain('*Model:* `anthropic.claude-3-haiku-20240307-v1:0&lt;U+202E&gt;`');
    expect(shown).toContain('*Resource:* `x&lt;U+2067&gt;y`');
    expect((card.blocks[0] as { text: { text: string } }).text.text).toBe('Title <U+202E>reversed');
    expect(card.text).not.toMatch(INVISIBLE);
  });
});

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

describe('diagnosisCard: the excerpt of a long paste', () => {
  const context = (card: ReturnType<typeof diagnosisCard>) =>
    visibleText({ blocks: card.blocks.filter((b) => b.type === 'context') });

  it('shows the error after a long run of blank lines, as if the whole paste were read', () => {
    // Prepare
    const pasted = `${'\n \t'.repeat(5000)}AccessDeniedException: not authorized to perform bedrock:InvokeModel`;

    // Act
    const card = diagnosisCard({ diagnosis: aDiagnosis(), pasted, showExcerpt: true });

    // Assess
    expect(context(card)).toContain(
      `Read ${(15_000 + 68).toLocaleString('en-US')} characters — _AccessDeniedException: not authorized to perform bedrock:InvokeModel_`,
    );
  });

  it('never shows part of a secret that a long paste puts at the edge of the part it reads', () => {
    // Prepare: blank space before an access key id pushes the key to wherever the excerpt's first read stops.
    const key = 'AKIAIOSFODNN7EXAMPLE';
    for (const blanks of [1000, 3000, 3235, 3240, 3245, 3300, 5000, 14_000]) {
      const pasted = `${' '.repeat(blanks)}${key} is not authorized to perform bedrock:InvokeModel`;

      // Act
      const card = diagnosisCard({ diagnosis: aDiagnosis(), pasted, showExcerpt: true });

      // Assess
      expect(context(card)).not.toMatch(/AKIA/);
      expect(context(card)).toContain('[redacted]');
    }
  });

  it('is the same excerpt whole-paste flattening gives, for pastes of any length and spacing', () => {
    const piece = fc.constantFrom('word ', 'x', '\n\n\n', ' '.repeat(50), '<!here> & ', '\u202E', '_', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), (pieces) => {
        const pasted = pieces.join('');
        const flat = revealInvisibles(pasted).replace(/\s+/g, ' ').trim();
        const card = diagnosisCard({ diagnosis: aDiagnosis(), pasted, showExcerpt: true });
        const shown = context(card);
        if (!flat) {
          expect(shown).not.toContain(' — _');
          return;
        }
        expect(shown).toContain(`— _${truncateEscaped(flat, 300).replace(/_/g, 'ˍ')}_`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('diagnosisCard: "Not what happened?"', () => {
  const miss = { heldPasteId: '0b7e4c8a-1f2d-4e3a-9b5c-6d7e8f901234', holdMinutes: 30, keepDays: 1 };

  it('keeps every card within Slack limits with the button last and its notice right above', () => {
    for (const pasted of [
      'An error occurred (AccessDeniedException) when calling the InvokeModel operation: no access',
      `${'INFO heartbeat <!channel> & more\n'.repeat(1200)}ThrottlingException: Too many requests`,
    ]) {
      const card = diagnosisCard({ diagnosis: diagnose(pasted), pasted, showExcerpt: true, miss });

      expect(limitViolations(card)).toEqual([]);
      expect(buttonsOf(card).at(-1)).toMatchObject({ action_id: ACTION.notWhatHappened, value: miss.heldPasteId });
      const actions = card.blocks.findIndex((b) => b.type === 'actions');
      expect(visibleText({ blocks: [card.blocks[actions - 1]] })).toBe(
        '*Not what happened?* Press it and I keep this paste (tokens and keys removed) with my answer for 1 day, ' +
          'so the diagnosis can be fixed. Without a press nothing is kept past 30 minutes.',
      );
    }
  });
});
