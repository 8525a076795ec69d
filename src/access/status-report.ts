// Public shape of a live model-status check: the contract between the status use case, the CLI and Slack cards.

export const VERDICTS = [
  'READY',
  'NO_ACTIVATION_NEEDED',
  'NEEDS_ACTIVATION',
  'NEEDS_USE_CASE_FORM',
  'ACTIVATION_PENDING',
  'ACTIVATION_FAILED',
  'NOT_IN_REGION',
  'LEGACY',
  'NOT_FOUND',
  'CHECK_FAILED',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface RegionStatus {
  region: string;
  verdict: Verdict;
  /** GetFoundationModelAvailability fields, as AWS reported them. */
  agreementStatus?: 'AVAILABLE' | 'PENDING' | 'NOT_AVAILABLE' | 'ERROR';
  agreementError?: string;
  authorizationStatus?: 'AUTHORIZED' | 'NOT_AUTHORIZED';
  entitlementAvailability?: 'AVAILABLE' | 'NOT_AVAILABLE';
  regionAvailability?: 'AVAILABLE' | 'NOT_AVAILABLE';
  /** One line for this region's row. */
  summary: string;
}

export interface OfferSummary {
  offerId?: string;
  /** Legal terms (EULA) URL, for the approver to review. */
  termsUrl?: string;
  /** Human-readable price lines from the rate card. */
  pricing: string[];
}

export interface StatusReport {
  /** The model reference exactly as asked. */
  modelRef: string;
  /** The foundation model behind it, when it could be resolved. */
  baseModelId?: string;
  modelName?: string;
  providerId?: string;
  providerName?: string;
  account: { id?: string; alias?: string };
  /** The identity the check ran as (GetCallerIdentity). */
  callerArn?: string;
  /** Overall verdict: the most actionable of the per-region verdicts. */
  verdict: Verdict;
  title: string;
  explanation: string;
  nextStep: string;
  lifecycle?: 'ACTIVE' | 'LEGACY';
  /** The model is served only through inference profiles (no on-demand by bare id). */
  profileOnly?: boolean;
  /** "Did you mean …" candidates for NOT_FOUND. */
  suggestions: string[];
  offer?: OfferSummary;
  regions: RegionStatus[];
  /** IAM actions the bot itself lacked (CHECK_FAILED, or a degraded part). */
  missingPermissions: string[];
  /** Parts of the answer that could not be gathered (slow or failing calls), in plain words. */
  degraded: string[];
  checkedAt: string;
}

export interface StatusQuery {
  /** Model id, inference-profile id (`us.`/`eu.`/`global.` …) or ARN, as the user typed it. */
  modelRef: string;
  /** Account id or alias from the registry; the default account when absent. */
  account?: string;
  /** Regions to check; the account's regions when absent. */
  regions?: string[];
  /**
   * An account id the pasted error named (a card's button): it decides the account as a model ARN's would — a
   * registered one is checked, another is refused as not managed. A model ARN's own account wins.
   */
  namedAccount?: string;
}

/**
 * The live status use case as the edges (CLI, Slack) see it. Throws `UserFacingError` for input the user can fix
 * (unknown account, malformed model id, region not allowed); every AWS problem is reported inside the StatusReport.
 */
export type CheckStatus = (query: StatusQuery) => Promise<StatusReport>;
