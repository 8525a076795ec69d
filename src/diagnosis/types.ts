// Public shape of a diagnosis: the contract between the engine, the CLI and the Slack cards.

export const CATEGORIES = [
  'marketplace_subscription_missing',
  'anthropic_use_case_form_missing',
  'model_access_not_granted',
  'iam_permission_missing',
  'explicit_deny',
  'inference_profile_required',
  'model_not_found_or_eol',
  'region_unsupported',
  'client_misconfigured',
  'credentials_invalid_or_expired',
  'throttling_or_quota',
  'account_restricted',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The kind of policy an AWS authorization message blames. Values are AWS's own wording. */
export const DENIED_BY = [
  'identity-based policy',
  'service control policy',
  'resource control policy',
  'permissions boundary',
  'session policy',
  'resource-based policy',
] as const;
export type DeniedBy = (typeof DENIED_BY)[number];

/** Which part of Bedrock the failing call belongs to. */
export const SURFACES = ['model_invocation', 'knowledge_base_sync', 'agent', 'control_plane'] as const;
export type Surface = (typeof SURFACES)[number];

/** Everything the pasted text reveals. A fact that the text does not show is absent, never guessed. */
export interface Facts {
  exception?: string;
  operation?: string;
  /** The model reference exactly as written (id, profile id or ARN). */
  modelId?: string;
  /** The foundation model behind `modelId` (geo prefixes and ARNs resolved). */
  baseModelId?: string;
  /** Provider id from the catalogue, e.g. `anthropic`. */
  provider?: string;
  region?: string;
  principalArn?: string;
  accountId?: string;
  actions?: string[];
  resource?: string;
  deniedBy?: DeniedBy;
  /** The ARN of the policy that denied, when the message names it (SCP/RCP ARNs). */
  policyArn?: string;
  retryAfterMinutes?: number;
  surface?: Surface;
  httpStatus?: number;
  requestId?: string;
  /** Days of inactivity named by a Legacy-model message. */
  inactivityDays?: number;
}

export interface CodeBlock {
  language: 'bash' | 'json' | 'text';
  content: string;
}

export interface RemediationStep {
  /** One line, imperative. */
  title: string;
  /** Plain-words detail. */
  detail?: string;
  code?: CodeBlock;
  /** The path AWS and we recommend, when several alternatives are offered. */
  recommended?: boolean;
}

/** A token that imitates an AWS identifier with look-alike characters; nothing was read from it (issue 9). */
export interface LookalikeToken {
  /** The token with each look-alike character written as `<U+XXXX>`, e.g. `<U+0430>rn:aws:bedrock:…`. */
  shown: string;
  imitates: 'ARN' | 'model id' | 'IAM action' | 'account id';
  /** The look-alike code points, e.g. `['U+0430']`. */
  characters: string[];
}

export interface Diagnosis {
  category: Category;
  /** Finer cause id, e.g. `explicit_deny.scp`. Stable, machine-readable. */
  cause: string;
  /** One line for a human. */
  title: string;
  /** What happened and why, in plain words. */
  explanation: string;
  facts: Facts;
  steps: RemediationStep[];
  /** Caveats that apply to the case (EULA, SCPs, settle time …). */
  notes: string[];
  /** Whether an admin activation of the model would fix this (drives the "Request activation" button). */
  activationCanHelp: boolean;
  /** Set when the input was cut before diagnosis (the engine reads at most 256 KB). */
  truncated?: boolean;
  /** Tokens that only look like ARNs, model ids, account ids or IAM actions: untrusted, no fact comes from them. */
  lookalikes?: LookalikeToken[];
}
