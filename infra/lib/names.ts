// Names the bot account and member accounts agree on without cross-account references: a member account's trust
// policy names the bot's worker role by ARN, so that role's name is fixed rather than generated.

/** The worker's execution role in the bot account: the only principal the activation role trusts. */
export const WORKER_ROLE_NAME = 'bedrock-doctor-worker';
/** The reconciler's execution role in the bot account: trusted by the read role (it re-reads stuck requests). */
export const RECONCILER_ROLE_NAME = 'bedrock-doctor-reconciler';
/** Roles each member account stack creates (the README's "Accounts" examples use these names). */
export const READ_ROLE_NAME = 'bedrock-doctor-read';
export const ACTIVATION_ROLE_NAME = 'bedrock-doctor-activation';

export type FunctionName = 'slack' | 'worker' | 'reconciler';
export const FUNCTION_NAMES: readonly FunctionName[] = ['slack', 'worker', 'reconciler'];
