// Property-based: no string makes the engine throw, and every literal fact is read from the (normalized) text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { normalizeText } from '../../src/diagnosis/normalize-text.js';
import { CATEGORIES, type Diagnosis } from '../../src/diagnosis/types.js';

const FRAGMENTS = [
  'arn:',
  'arn:aws:',
  'arn:aws:bedrock:',
  'arn:aws:sts::123456789012:assumed-role/r/s',
  'arn:aws:bedrock:::foundation-model/',
  'foundation-model/',
  'inference-profile/',
  'anthropic.',
  'us.anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-pro-v1:0',
  ':',
  '::',
  '/',
  ' is not authorized to perform: ',
  'bedrock:InvokeModel',
  'aws-marketplace:Subscribe',
  ' on resource: ',
  '*',
  '**',
  '`',
  '```',
  '&lt;',
  '&amp;',
  '\\"',
  '\\n',
  '\\u2019',
  '%3A',
  '"',
  "'",
  '’',
  '\u200b',
  '\u0000',
  '\n',
  ' ',
  'An error occurred (',
  ') when calling the ',
  ' operation: ',
  'AccessDeniedException',
  'with an explicit deny in a service control policy',
  'because no session policy allows',
  'model ID ',
  '/model/',
  '/invoke',
  'https://bedrock-runtime.',
  'us-east-1',
  '.amazonaws.com',
  'region=',
  'request_id=',
  '12345678-1234-1234-1234-123456789012',
  'status: 403',
  'Could not connect to the endpoint URL: ',
  'try again after 2 minutes',
  'config profile (',
  '<',
  '>',
  '|',
  '{account-id}',
  'REDACTED',
];

const adversarial = fc
  .array(
    fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 })),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), adversarial);

/** Operation names may be read from CLI/SDK spellings (`get-foundation-model`, `invoke_model`). */
const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

function assertFactsFromText(text: string, diagnosis: Diagnosis): void {
  const normalized = normalizeText(text).text;
  const { facts } = diagnosis;
  for (const key of ['exception', 'modelId', 'region', 'principalArn', 'accountId', 'resource', 'requestId'] as const) {
    const value = facts[key];
    if (value !== undefined) expect(normalized, key).toContain(value);
  }
  for (const action of facts.actions ?? []) expect(normalized).toContain(action);
  if (facts.operation) expect(squash(normalized)).toContain(squash(facts.operation));
  if (facts.accountId) expect(facts.accountId).toMatch(/^\d{12}$/);
  if (facts.httpStatus !== undefined) expect(normalized).toContain(String(facts.httpStatus));
}

describe('diagnose — properties', () => {
  it('never throws and always returns a complete diagnosis', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const diagnosis = diagnose(text);
        expect(CATEGORIES).toContain(diagnosis.category);
        expect(diagnosis.cause.startsWith(diagnosis.category)).toBe(true);
        expect(diagnosis.title).not.toBe('');
        expect(diagnosis.steps.length).toBeGreaterThan(0);
        expect(diagnosis.cause).not.toBe('unknown.internal_error');
      }),
      { numRuns: 1500 },
    );
  });

  it('reports only facts that are in the text', () => {
    fc.assert(
      fc.property(anyText, (text) => assertFactsFromText(text, diagnose(text))),
      { numRuns: 1500 },
    );
  });

  it('survives values that are not strings at runtime', () => {
    for (const value of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(diagnose(value as unknown as string).category).toBe('unknown');
    }
  });

  it('stays linear on pathological 40 KB inputs', () => {
    const inputs = [
      'arn:'.repeat(10_000),
      ':'.repeat(40_000),
      'a:'.repeat(20_000),
      `${'arn:aws:bedrock:us-east-1::foundation-model/'.repeat(900)}`,
      'model ID '.repeat(4_500),
      ' is not authorized to perform'.repeat(1_400),
      `${'x'.repeat(40_000)}`,
      'anthropic.'.repeat(4_000),
      '/model/'.repeat(5_700),
      '&lt;'.repeat(10_000),
      '\\"'.repeat(20_000),
      'too many tokens'.repeat(2_600),
      'us-east-1-'.repeat(4_000),
      '%3A'.repeat(13_000),
    ];
    for (const text of inputs) {
      // No timing assertion (tests never assert timings); a backtracking regex would hang the run instead.
      const diagnosis = diagnose(text);
      assertFactsFromText(text, diagnosis);
    }
  });
});
