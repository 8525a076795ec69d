import { describe, expect, it } from 'vitest';
import { activationRequestMessage } from '../../../src/slack/blocks/activation-request.js';
import { internalErrorMessage, userErrorMessage } from '../../../src/slack/blocks/errors.js';
import {
  helpMessage,
  noErrorFoundMessage,
  unknownSubcommandMessage,
  usageMessage,
} from '../../../src/slack/blocks/help.js';
import { checkingMessage } from '../../../src/slack/blocks/status-card.js';
import { limitViolations, liveMarkup, visibleText } from '../../support/slack/slack-assertions.js';

describe('help, usage and error messages', () => {
  it('all carry fallback text and fit Slack limits', () => {
    const messages = [
      helpMessage(),
      unknownSubcommandMessage('x'.repeat(5000)),
      usageMessage('Name a model.', '/bedrock status m'),
      noErrorFoundMessage(),
      internalErrorMessage('abcd1234', 'checking the model status'),
      userErrorMessage('y'.repeat(10_000), 'abcd1234'),
      checkingMessage('m'.repeat(3000), ['us-east-1']),
      activationRequestMessage({ modelId: 'anthropic.claude-v2', region: 'us-east-1', reference: 'abcd1234' }),
    ];
    for (const m of messages) expect(limitViolations(m)).toEqual([]);
  });

  it('gives the reference in an internal error and hides the cause', () => {
    const m = internalErrorMessage('abcd1234', 'checking the model status');
    expect(visibleText(m)).toContain('`abcd1234`');
    expect(m.text).toContain('abcd1234');
  });

  it('escapes user text in errors and unknown subcommands', () => {
    expect(liveMarkup(visibleText(userErrorMessage('<!channel> bad', 'r')))).toEqual([]);
    expect(liveMarkup(userErrorMessage('<!channel> bad', 'r').text)).toEqual([]);
    expect(liveMarkup(visibleText(unknownSubcommandMessage('<!here>')))).toEqual([]);
    expect(liveMarkup(visibleText(checkingMessage('<!here>', [])))).toEqual([]);
  });
});
