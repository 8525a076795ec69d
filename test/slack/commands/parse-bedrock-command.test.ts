import { describe, expect, it } from 'vitest';
import { parseBedrockCommand } from '../../../src/slack/commands/parse-bedrock-command.js';

describe('parseBedrockCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['why  An error\noccurred ', { kind: 'why', text: 'An error\noccurred' }],
    ['status anthropic.claude-v2', { kind: 'status', modelRef: 'anthropic.claude-v2' }],
    [
      'status us.anthropic.claude-3-5-sonnet-20240620-v1:0 eu-west-1',
      {
        kind: 'status',
        modelRef: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
        region: 'eu-west-1',
      },
    ],
    [
      'status arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2',
      { kind: 'status', modelRef: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2' },
    ],
    ['frob x', { kind: 'unknown', word: 'frob', text: 'frob x' }],
  ])('reads %j', (text, expected) => {
    expect(parseBedrockCommand(text)).toEqual(expected);
  });

  it.each([
    'why',
    'status',
    'status <@U1>',
    'status m not-a-region',
    'status m us-east-1 extra',
    `status ${'a'.repeat(1001)}`,
  ])('answers %j with a usage hint', (text) => {
    expect(parseBedrockCommand(text).kind).toBe('usage');
  });
});

describe('parseBedrockCommand: request and requests', () => {
  it.each([
    ['request', { kind: 'request' }],
    ['request cohere.command-r-plus-v1:0', { kind: 'request', modelRef: 'cohere.command-r-plus-v1:0' }],
    [
      'request anthropic.claude-3-haiku-20240307-v1:0 eu-west-1',
      { kind: 'request', modelRef: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'eu-west-1' },
    ],
    ['requests', { kind: 'requests' }],
  ])('reads %j', (text, expected) => {
    expect(parseBedrockCommand(text)).toEqual(expected);
  });

  it('answers a malformed request with a request example', () => {
    const parsed = parseBedrockCommand('request <!channel>');
    expect(parsed).toMatchObject({ kind: 'usage', example: '/bedrock request cohere.command-r-plus-v1:0 us-east-1' });
  });
});
