import { describe, expect, it } from 'vitest';
import { parseModelRef, profilePrefixFor } from '../../src/access/model-ref.js';
import { overallVerdict } from '../../src/access/status-verdicts.js';
import { suggestModelIds } from '../../src/access/suggest-models.js';

describe('parseModelRef', () => {
  it('reads model ids, geo-prefixed profile ids and Bedrock ARNs', () => {
    expect(parseModelRef(' anthropic.claude-3-haiku-20240307-v1:0 ')).toEqual({
      ref: 'anthropic.claude-3-haiku-20240307-v1:0',
      kind: 'model',
      baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    });
    expect(parseModelRef('global.anthropic.claude-sonnet-4-20250514-v1:0')).toMatchObject({
      kind: 'profile',
      baseModelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
    });
    expect(
      parseModelRef(
        'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0',
      ),
    ).toMatchObject({ kind: 'profile', arnRegion: 'eu-west-1', baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(parseModelRef('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6')).toEqual({
      ref: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
      kind: 'application-profile',
      arnRegion: 'us-east-1',
      arnAccount: '123456789012',
    });
    expect(parseModelRef(`arn:aws:bedrock:eu-west-1::foundation-model/cohere.command-r-plus-v1:0`)).toEqual({
      ref: 'arn:aws:bedrock:eu-west-1::foundation-model/cohere.command-r-plus-v1:0',
      kind: 'model',
      baseModelId: 'cohere.command-r-plus-v1:0',
      arnRegion: 'eu-west-1',
    });
  });

  it('rejects what Bedrock would reject: upper case, spaces, no provider dot, over 140 characters', () => {
    for (const bad of ['Anthropic.Claude', 'claude 3', 'claude', `a.${'b'.repeat(139)}`, 'arn:aws:s3:::bucket/x', '']) {
      expect(() => parseModelRef(bad)).toThrow('is not a Bedrock model id');
    }
  });

  it('names look-alike characters in a reference that only looks like a model id or ARN (issue 9)', () => {
    expect(() => parseModelRef('anthr\u03BFpic.claude-3-haiku-20240307-v1:0')).toThrow(
      '"anthr<U+03BF>pic.claude-3-haiku-20240307-v1:0" looks like a model id but contains look-alike characters ' +
        '(U+03BF); nothing was read from it. "anthrοpic.claude-3-haiku-20240307-v1:0" is not a Bedrock model id.',
    );
    expect(() =>
      parseModelRef('\u0430rn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-v2'),
    ).toThrow('looks like an ARN but contains look-alike characters (U+0430)');
  });

  it('picks the system profile prefix for a region', () => {
    expect(['us-east-1', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1', 'sa-east-1'].map(profilePrefixFor)).toEqual(
      ['us', 'eu', 'apac', 'us-gov', 'global'],
    );
  });
});

describe('suggestModelIds', () => {
  const catalogue = [
    'anthropic.claude-3-haiku-20240307-v1:0',
    'anthropic.claude-3-5-haiku-20241022-v1:0',
    'amazon.nova-pro-v1:0',
    'cohere.command-r-plus-v1:0',
  ];

  it('ranks near misses first and leaves unrelated ids out', () => {
    expect(suggestModelIds('anthropic.claude-3-haiku-v1:0', catalogue)).toEqual([
      'anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-5-haiku-20241022-v1:0',
    ]);
    expect(suggestModelIds('cohere.command-r-plus', catalogue)[0]).toBe('cohere.command-r-plus-v1:0');
    expect(suggestModelIds('zzz.qqq', catalogue)).toEqual([]);
  });
});

describe('overallVerdict', () => {
  it('picks the most actionable region verdict', () => {
    expect(overallVerdict(['READY', 'ACTIVATION_PENDING'])).toBe('ACTIVATION_PENDING');
    expect(overallVerdict(['NOT_IN_REGION', 'READY'])).toBe('NOT_IN_REGION');
    expect(overallVerdict(['NEEDS_ACTIVATION', 'ACTIVATION_FAILED'])).toBe('ACTIVATION_FAILED');
    expect(overallVerdict(['NO_ACTIVATION_NEEDED'])).toBe('NO_ACTIVATION_NEEDED');
  });
});
