// The approval flow's settings: defaults, shapes, and errors that name the variable.
import { describe, expect, it } from 'vitest';
import { findBlock } from '../src/access/blocked-models.js';
import { ConfigError, loadConfig } from '../src/config.js';

describe('approval settings', () => {
  it('has defaults: remind after 60 minutes, expire after 72 hours, reconcile every 60 seconds, no self-approval', () => {
    expect(loadConfig({}).approval).toEqual({
      approverUserIds: [],
      allowSelfApproval: false,
      allowCrossWorkspaceApproval: false,
      blockedModels: [],
      remindAfterMs: 3_600_000,
      expireAfterMs: 72 * 3_600_000,
      reconcileIntervalMs: 60_000,
      requestCooldownMs: 30 * 60_000,
      requestsPerUserPerHour: 5,
    });
  });

  it('reads every setting', () => {
    const { approval } = loadConfig({
      SLACK_APPROVER_CHANNEL: 'C0APPROVE1',
      SLACK_APPROVER_USER_IDS: 'U0AAAAAAA1, W0GRIDUSER',
      SLACK_APPROVER_GROUP_ID: 'S0APPROVERS',
      ALLOW_SELF_APPROVAL: 'true',
      ALLOW_CROSS_WORKSPACE_APPROVAL: 'true',
      BLOCKED_MODELS: '{"meta.llama2*":"End of life","*.deepseek-r1*":"Not cleared by legal"}',
      REQUEST_REMIND_AFTER_MINUTES: '15',
      REQUEST_EXPIRE_AFTER_HOURS: '24',
      RECONCILE_INTERVAL_SECONDS: '5',
      REQUEST_COOLDOWN_MINUTES: '0',
      REQUESTS_PER_USER_PER_HOUR: '20',
    });
    expect(approval).toEqual({
      approverChannel: 'C0APPROVE1',
      approverUserIds: ['U0AAAAAAA1', 'W0GRIDUSER'],
      approverGroupId: 'S0APPROVERS',
      allowSelfApproval: true,
      allowCrossWorkspaceApproval: true,
      blockedModels: [
        { pattern: 'meta.llama2*', reason: 'End of life' },
        { pattern: '*.deepseek-r1*', reason: 'Not cleared by legal' },
      ],
      remindAfterMs: 15 * 60_000,
      expireAfterMs: 24 * 3_600_000,
      reconcileIntervalMs: 5000,
      requestCooldownMs: 0,
      requestsPerUserPerHour: 20,
    });
    expect(findBlock(approval.blockedModels, 'META.llama2-70b-chat-v1')?.reason).toBe('End of life');
    expect(findBlock(approval.blockedModels, 'us.deepseek.deepseek-r1-v1:0')?.reason).toBe('Not cleared by legal');
    expect(findBlock(approval.blockedModels, 'meta.llama3-8b-instruct-v1:0')).toBeUndefined();
  });

  it('reads REQUEST_EXPIRE_AFTER_HOURS as hours with fractions', () => {
    expect(loadConfig({ REQUEST_EXPIRE_AFTER_HOURS: '0.5' }).approval.expireAfterMs).toBe(30 * 60_000);
    expect(loadConfig({ REQUEST_EXPIRE_AFTER_HOURS: '1.25' }).approval.expireAfterMs).toBe(75 * 60_000);
    expect(() => loadConfig({ REQUEST_EXPIRE_AFTER_HOURS: '0' })).toThrow(/REQUEST_EXPIRE_AFTER_HOURS/);
    expect(() => loadConfig({ REQUEST_EXPIRE_AFTER_HOURS: 'soon' })).toThrow(/REQUEST_EXPIRE_AFTER_HOURS/);
  });

  it('names the variable and the expected shape when a setting is wrong', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ SLACK_APPROVER_GROUP_ID: 'approvers' })[0]).toContain(
      'SLACK_APPROVER_GROUP_ID: expected a Slack user group id',
    );
    expect(problems({ ALLOW_SELF_APPROVAL: 'maybe' })[0]).toContain('ALLOW_SELF_APPROVAL: expected true or false');
    expect(problems({ RECONCILE_INTERVAL_SECONDS: '0' })[0]).toContain('RECONCILE_INTERVAL_SECONDS');
    expect(problems({ BLOCKED_MODELS: 'meta.*' })[0]).toContain('BLOCKED_MODELS: expected a JSON object');
    expect(problems({ BLOCKED_MODELS: '{"meta.*":""}' })[0]).toContain('BLOCKED_MODELS[meta.*]');
  });

  it('accepts per-account approvers in the registry', () => {
    const config = loadConfig({
      BEDROCK_DOCTOR_ACCOUNTS: JSON.stringify([
        { id: '111122223333', alias: 'sandbox', regions: ['us-east-1'], approvers: ['U0ACCTAPP1'] },
      ]),
    });
    expect(config.accounts[0]?.approvers).toEqual(['U0ACCTAPP1']);
  });
});
