// Names the bot account and member accounts agree on without cross-account references (the convention is
// src/access/member-roles.ts), plus the stacks' own ids and resource names per stage.

import { checkStage, DEFAULT_STAGE, roleName, stageName } from '../../src/access/member-roles.js';

// The role-name convention itself lives in src (the CLI's `accounts sync` uses it too); the stacks re-export it.
export {
  DEFAULT_STAGE,
  type RoleKind,
  roleArn,
  roleName,
  STAGE_PATTERN,
  stageName,
} from '../../src/access/member-roles.js';

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

/** The worker's execution role in the bot account: the only principal the member roles trust. */
export const WORKER_ROLE_NAME = roleName('worker');
/** The reconciler's execution role in the bot account (it only enqueues; it assumes no member role). */
export const RECONCILER_ROLE_NAME = roleName('reconciler');
/** Roles each member account stack creates (the README's "Accounts" examples use these names). */
export const READ_ROLE_NAME = roleName('read');
export const ACTIVATION_ROLE_NAME = roleName('activation');

export type FunctionName = 'slack' | 'worker' | 'reconciler';
export const FUNCTION_NAMES: readonly FunctionName[] = ['slack', 'worker', 'reconciler'];
