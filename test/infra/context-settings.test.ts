// Every approval setting the deployed bot reads can be given at deploy time (issue 8's settings on issue 11's
// Lambda shape), and what the stack hands the functions is what the app's configuration accepts.
import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '../../infra/lib/context-settings.js';
import { loadConfig } from '../../src/config.js';

describe('settings from CDK context', () => {
  it('passes the approval settings on, as the app reads them', () => {
    const context: Record<string, unknown> = {
      allowSelfApproval: 'true',
      allowCrossWorkspaceApproval: true,
      blockedModels: { 'ai21.*': 'Not cleared by legal' },
      requestRemindAfterMinutes: 30,
      requestExpireAfterHours: '0.5',
      slackApproverGroupId: 'S0123456789',
      activationVerify: true,
    };

    const settings = settingsFromContext((key) => context[key]);

    const config = loadConfig(settings);
    expect(config.approval).toMatchObject({
      allowSelfApproval: true,
      allowCrossWorkspaceApproval: true,
      blockedModels: [{ pattern: 'ai21.*', reason: 'Not cleared by legal' }],
      remindAfterMs: 30 * 60_000,
      expireAfterMs: 30 * 60_000,
      approverGroupId: 'S0123456789',
    });
    expect(config.activation.verifyWithConverse).toBe(true);
  });

  it('passes missesTtlDays on as MISSES_TTL_DAYS', () => {
    const config = loadConfig(settingsFromContext((key) => (key === 'missesTtlDays' ? 7 : undefined)));
    expect(config.misses.ttlDays).toBe(7);
  });

  it('leaves out keys that are not given, so the defaults apply', () => {
    expect(settingsFromContext((key) => (key === 'slackBotId' ? 'B0123456' : undefined))).toEqual({
      SLACK_BOT_ID: 'B0123456',
    });
  });
});
