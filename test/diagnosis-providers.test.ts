import { describe, expect, it } from 'vitest';
import { baseModelIdOf, providerByName, providerOf } from '../src/diagnosis/providers.js';

describe('provider catalogue', () => {
  it.each([
    ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic.claude-sonnet-4-20250514-v1:0'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['apac.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0'],
    ['arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0', 'meta.llama3-8b-instruct-v1:0'],
    ['arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1', 'anthropic.claude-opus-4-6-v1'],
    [
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.mistral.pixtral-large-2502-v1:0',
      'mistral.pixtral-large-2502-v1:0',
    ],
  ])('resolves %s to the foundation model %s', (ref, base) => {
    expect(baseModelIdOf(ref)).toBe(base);
  });

  it('cannot resolve an application inference profile or a word', () => {
    expect(
      baseModelIdOf('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123'),
    ).toBeUndefined();
    expect(baseModelIdOf('claude')).toBeUndefined();
  });

  it('knows who needs Marketplace rights and the Anthropic form', () => {
    expect(providerOf('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toMatchObject({
      marketplace: true,
      useCaseForm: true,
    });
    expect(providerOf('cohere.command-r-v1:0')).toMatchObject({ marketplace: true, useCaseForm: false });
    for (const id of [
      'amazon.nova-pro-v1:0',
      'deepseek.r1-v1:0',
      'mistral.mistral-large-2402-v1:0',
      'meta.llama3-8b-instruct-v1:0',
      'qwen.qwen3-32b-v1:0',
      'openai.gpt-oss-120b-1:0',
    ]) {
      expect(providerOf(id)?.marketplace, id).toBe(false);
    }
    expect(providerOf('acme.model-v1')).toBeUndefined();
  });

  it('finds providers by the name Bedrock reports', () => {
    expect(providerByName('Mistral AI')?.id).toBe('mistral');
    expect(providerByName('Stability AI')?.id).toBe('stability');
  });
});
