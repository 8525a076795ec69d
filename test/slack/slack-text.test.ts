import { describe, expect, it } from 'vitest';
import { slackTextToPlain, withoutMentionOf } from '../../src/slack/slack-text.js';

describe('slackTextToPlain', () => {
  it('decodes entities, unwraps links and drops code fences', () => {
    expect(
      slackTextToPlain('```User: &lt;arn&gt; a &amp;amp; b <https://docs.aws.amazon.com/x|docs> <https://a.b/c>```'),
    ).toBe('User: <arn> a &amp; b docs https://a.b/c');
  });
});

describe('withoutMentionOf', () => {
  it('removes mentions of the bot only', () => {
    expect(withoutMentionOf('<@U0BOT00001> hi <@U0OTHER01> <@U0BOT00001|bot>', 'U0BOT00001')).toBe('hi <@U0OTHER01>');
    expect(withoutMentionOf('<@U0BOT00001> hi', undefined)).toBe('<@U0BOT00001> hi');
  });
});
