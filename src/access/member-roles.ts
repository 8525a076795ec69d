// The deployment's role-name convention, in one place: the stacks (infra/lib/names.ts) name their roles with it and
// `accounts sync` registers member accounts with it. A member account's trust policy names the bot's worker role by
// ARN, so the names are fixed rather than generated. Stage `prod` keeps the names the first deployments got, so an
// upgrade renames nothing; any other stage puts its name after the prefix, so staging stands beside production.

/** The stage of a deployment when none is given: today's names, unchanged. */
export const DEFAULT_STAGE = 'prod';
/** Lowercase letters, digits and hyphens, starting with a letter; short, because it goes into role names. */
export const STAGE_PATTERN = '^[a-z][a-z0-9-]{0,15}$';
export const STAGE_RE = new RegExp(STAGE_PATTERN);

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

/** A role's ARN (`partition` for GovCloud and China). */
export function roleArn(accountId: string, kind: RoleKind, stage: string = DEFAULT_STAGE, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName(kind, stage)}`;
}

/** The member roles' ARNs in one account, as `accounts sync` registers them. */
export function memberRoleArns(accountId: string, stage: string = DEFAULT_STAGE, partition = 'aws') {
  return {
    readRoleArn: roleArn(accountId, 'read', stage, partition),
    activationRoleArn: roleArn(accountId, 'activation', stage, partition),
  };
}

export function checkStage(stage: string): void {
  if (!STAGE_RE.test(stage)) {
    throw new Error(`stage "${stage}" must match ${STAGE_PATTERN} (it becomes part of role names)`);
  }
}
