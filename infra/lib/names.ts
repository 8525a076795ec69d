// Names the bot account and member accounts agree on without cross-account references: a member account's trust
// policy names the bot's worker role by ARN, so that role's name is fixed rather than generated. One convention for
// every stage: `prod` keeps the names the first deployments got; any other stage puts its name after the prefix,
// so a staging deployment stands beside production in the same accounts.

/** The stage of a deployment when none is given: today's names, unchanged. */
export const DEFAULT_STAGE = 'prod';
/** Lowercase letters, digits and hyphens, starting with a letter; short, because it goes into role names. */
export const STAGE_PATTERN = '^[a-z][a-z0-9-]{0,15}$';

/** The bot account's function roles and the member accounts' roles. */
export type RoleKind = 'worker' | 'reconciler' | 'read' | 'activation';

const PREFIX = 'bedrock-doctor';

/** `bedrock-doctor-<name>` for prod, `bedrock-doctor-<stage>-<name>` for any other stage. */
export function stageName(name: string, stage: string = DEFAULT_STAGE): string {
  checkStage(stage);
  return stage === DEFAULT_STAGE ? `${PREFIX}-${name}` : `${PREFIX}-${stage}-${name}`;
}

export function roleName(kind: RoleKind, stage: string = DEFAULT_STAGE): string {
  return stageName(kind, stage);
}

export function roleArn(accountId: string, kind: RoleKind, stage: string = DEFAULT_STAGE, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName(kind, stage)}`;
}

/** CDK stack ids: prod keeps `BedrockDoctorApp` …; another stage appends its name (`BedrockDoctorApp-staging`). */
export function stackId(base: string, stage: string = DEFAULT_STAGE): string {
  checkStage(stage);
  return stage === DEFAULT_STAGE ? base : `${base}-${stage}`;
}

/**
 * Explicit names for a stage's functions and queue. Prod keeps the names CloudFormation generated for them (an
 * explicit name would replace them on upgrade); another stage names them so its resources are told apart.
 */
export function resourceName(name: string, stage: string = DEFAULT_STAGE): string | undefined {
  return stage === DEFAULT_STAGE ? undefined : stageName(name, stage);
}

function checkStage(stage: string): void {
  if (!new RegExp(STAGE_PATTERN).test(stage)) {
    throw new Error(`stage "${stage}" must match ${STAGE_PATTERN} (it becomes part of role names)`);
  }
}

/** The worker's execution role in the bot account: the only principal the member roles trust. */
export const WORKER_ROLE_NAME = roleName('worker');
/** The reconciler's execution role in the bot account (it only enqueues; it assumes no member role). */
export const RECONCILER_ROLE_NAME = roleName('reconciler');
/** Roles each member account stack creates (the README's "Accounts" examples use these names). */
export const READ_ROLE_NAME = roleName('read');
export const ACTIVATION_ROLE_NAME = roleName('activation');

export type FunctionName = 'slack' | 'worker' | 'reconciler';
export const FUNCTION_NAMES: readonly FunctionName[] = ['slack', 'worker', 'reconciler'];
