// CDK context keys (`-c key=value` or cdk.json) → the functions' plain settings (environment variables). Every
// setting the deployed bot reads that is not a secret or set by the stack itself has a key here; the Slack token
// and signing secret only ever come from the secret.

/** Context key → environment variable. */
export const CONTEXT_SETTINGS = {
  slackBotId: 'SLACK_BOT_ID',
  slackBotUserId: 'SLACK_BOT_USER_ID',
  slackTeamId: 'SLACK_TEAM_ID',
  slackApproverChannel: 'SLACK_APPROVER_CHANNEL',
  slackApproverUserIds: 'SLACK_APPROVER_USER_IDS',
  slackApproverGroupId: 'SLACK_APPROVER_GROUP_ID',
  allowSelfApproval: 'ALLOW_SELF_APPROVAL',
  allowCrossWorkspaceApproval: 'ALLOW_CROSS_WORKSPACE_APPROVAL',
  blockedModels: 'BLOCKED_MODELS',
  requestRemindAfterMinutes: 'REQUEST_REMIND_AFTER_MINUTES',
  requestExpireAfterHours: 'REQUEST_EXPIRE_AFTER_HOURS',
  activationVerify: 'ACTIVATION_VERIFY',
  missesTtlDays: 'MISSES_TTL_DAYS',
  logLevel: 'LOG_LEVEL',
  statusChecksPerMinute: 'STATUS_CHECKS_PER_MINUTE',
  statusCacheSeconds: 'STATUS_CACHE_SECONDS',
  requestCooldownMinutes: 'REQUEST_COOLDOWN_MINUTES',
  requestsPerUserPerHour: 'REQUESTS_PER_USER_PER_HOUR',
} as const;

/** The settings named in context; absent or empty keys are left out (the app's defaults apply). */
export function settingsFromContext(context: (key: string) => unknown): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, variable] of Object.entries(CONTEXT_SETTINGS)) {
    const value = context(key);
    if (value === undefined || value === null || value === '') continue;
    // cdk.json may hold JSON values (a deny-list object, a boolean): the app reads them as JSON text.
    settings[variable] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return settings;
}
