// Issue 9: text that only looks like an AWS identifier is untrusted — reported, and no fact is read from it.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { screenLookalikes } from '../../src/diagnosis/lookalikes.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const DENIED =
  'An error occurred (AccessDeniedException) when calling the InvokeModel operation: User: ' +
  'arn:aws:sts::123456789012:assumed-role/app/worker is not authorized to perform: bedrock:InvokeModel on resource: ';

describe('look-alike identifiers in pasted text', () => {
  it('does not read a Cyrillic-a ARN as an ARN: no model, region or button-driving fact comes from it', () => {
    // Prepare
    const text = `${DENIED}\u0430rn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`;

    // Act
    const d = diagnose(text);

    // Assess
    expect(d.facts.modelId).toBeUndefined();
    expect(d.facts.baseModelId).toBeUndefined();
    expect(d.facts.region).toBeUndefined();
    expect(d.facts.resource).toBeUndefined();
    expect(d.activationCanHelp).toBe(false);
    expect(d.lookalikes).toEqual([
      {
        shown: `<U+0430>rn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`,
        imitates: 'ARN',
        characters: ['U+0430'],
      },
    ]);
    // What is genuinely ASCII is still read.
    expect(d.facts.principalArn).toBe('arn:aws:sts::123456789012:assumed-role/app/worker');
    expect(d.facts.actions).toEqual(['bedrock:InvokeModel']);
  });

  it.each([
    ['a Greek omicron in a model id', `model id anthr\u03BFpic.claude-3-haiku-20240307-v1:0`, 'model id', 'U+03BF'],
    ['a Cyrillic M in an IAM action', 'not authorized to perform: bedrock:Invoke\u041Codel', 'IAM action', 'U+041C'],
    [
      'fullwidth digits in an account id',
      'Account \uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19\uFF10\uFF11\uFF12 is denied',
      'account id',
      'U+FF11',
    ],
    ['Arabic-Indic digits in an account id', 'account \u0661\u0662\u0663456789012 denied', 'account id', 'U+0661'],
    [
      'a mathematical bold a in an ARN',
      `\u{1D41A}rn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      'ARN',
      'U+1D41A',
    ],
    ['an accented i in a provider name', `modelId=anthrop\u00EDc.claude-3-haiku-20240307-v1:0`, 'model id', 'U+00ED'],
    ['a Cherokee A in a geo prefix', `us.\u13AAnthropic.claude-3-haiku-20240307-v1:0`, 'model id', 'U+13AA'],
    ['an Armenian o in a role ARN', 'arn:aws:iam::123456789012:r\u0585le/Admin', 'ARN', 'U+0585'],
  ])('flags %s and reads nothing from it', (_name, snippet, imitates, char) => {
    const d = diagnose(`An error occurred (AccessDeniedException): ${snippet}`);

    expect(d.lookalikes?.[0]).toMatchObject({ imitates, characters: expect.arrayContaining([char]) });
    expect(d.facts.modelId).toBeUndefined();
    expect(d.facts.accountId).toBeUndefined();
    expect(d.facts.principalArn).toBeUndefined();
    expect(d.facts.actions ?? []).not.toContain('bedrock:Invoke');
  });

  it('leaves ordinary non-English text and genuine identifiers next to it alone', () => {
    const text =
      'Ошибка: нет доступа к модели — AccessDeniedException: доступ запрещён (café, naïve, 東京) ' +
      `model ${HAIKU} in eu-west-1`;
    const d = diagnose(text);

    expect(d.lookalikes).toBeUndefined();
    expect(d.facts.modelId).toBe(HAIKU);
    expect(d.facts.region).toBe('eu-west-1');
  });

  it('keeps the genuine model when a look-alike copy stands beside it', () => {
    const d = diagnose(
      `${DENIED}arn:aws:bedrock:us-west-2::foundation-model/${HAIKU} (was: \u0430nthropic.claude-v2:1)`,
    );

    expect(d.facts.modelId).toBe(HAIKU);
    expect(d.facts.region).toBe('us-west-2');
    expect(d.lookalikes?.map((l) => l.imitates)).toEqual(['model id']);
  });

  it('screens an ASCII text without changing it', () => {
    const text = `${DENIED}arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`;
    expect(screenLookalikes(text)).toEqual({ text, lookalikes: [] });
  });
});

describe('invisible format characters in pasted text', () => {
  it('reads an identifier around bidi controls and zero-width characters as stored, and echoes none of them', () => {
    const text = `${DENIED}arn:aws:bedrock:us-east-1::foundation-model/\u202E${HAIKU}\u2066\u200B\u{E0041}`;
    const d = diagnose(text);

    expect(d.facts.modelId).toBe(HAIKU);
    expect(JSON.stringify(d)).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]|\u{E0041}/u);
  });
});
