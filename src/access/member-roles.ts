// The member stack's role names as `accounts sync` registers them: the deployment's convention (infra/lib/names.ts
// defines the same for the stacks). Stage `prod` keeps the original names, so an upgrade renames nothing; any other
// stage puts its name after the prefix.

export const DEFAULT_STAGE = 'prod';
/** Lowercase letters, digits and hyphens, starting with a letter; short, because it goes into role names. */
export const STAGE_RE = /^[a-z][a-z0-9-]{0,15}$/;

export function memberRoleNames(stage: string = DEFAULT_STAGE): { read: string; activation: string } {
  const base = stage === DEFAULT_STAGE ? 'bedrock-doctor' : `bedrock-doctor-${stage}`;
  return { read: `${base}-read`, activation: `${base}-activation` };
}

/** The member roles' ARNs in one account (`partition` for GovCloud and China). */
export function memberRoleArns(accountId: string, stage?: string, partition = 'aws') {
  const names = memberRoleNames(stage);
  return {
    readRoleArn: `arn:${partition}:iam::${accountId}:role/${names.read}`,
    activationRoleArn: `arn:${partition}:iam::${accountId}:role/${names.activation}`,
  };
}
