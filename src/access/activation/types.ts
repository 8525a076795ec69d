// The activator's public shapes: what it is asked, what it reports while it runs, what it answers, what it needs.
import type { Config } from '../../config.js';
import type { AccountDirectory } from '../account-registry.js';
import type { AwsPorts, Clock } from '../ports.js';
import type { OfferSummary } from '../status-report.js';
import type { ActivationLease } from './activation-lease.js';

export type ActivationStepName =
  | 'assume_role'
  | 'read_availability'
  | 'use_case_form'
  | 'list_offers'
  | 'create_agreement'
  | 'wait_until_available'
  | 'verify';

export interface ActivationProgress {
  step: ActivationStepName;
  status: 'started' | 'done' | 'skipped' | 'failed';
  detail?: string;
  at: string;
}

/** What the activator is asked to do; the stored approval flow is `ActivationRequest` (request-repository.ts). */
export interface ActivateModelInput {
  /** Ties the AWS session (RoleSessionName, tags) to the request, for CloudTrail. */
  requestId: string;
  modelRef: string;
  /** Account id or alias; the default account when absent. */
  account?: string;
  /** Region to activate in; the account's first region when absent (one subscription covers all regions). */
  region?: string;
  /** Who approved: becomes the session's SourceIdentity. */
  approver: string;
  requester?: string;
  onProgress?: (progress: ActivationProgress) => void;
  /** Aborting stops the workflow between steps; a re-run resumes. */
  signal?: AbortSignal;
}

export type ActivationOutcome = 'ACTIVE' | 'ALREADY_ACTIVE' | 'STILL_PENDING' | 'FAILED';

export interface ActivationResult {
  outcome: ActivationOutcome;
  /** One or two sentences for the approver and requester. */
  message: string;
  requestId: string;
  modelRef: string;
  baseModelId: string;
  account: { id?: string; alias: string };
  region: string;
  /** The assumed activation session (for the audit trail). */
  sessionArn?: string;
  useCaseFormSubmitted: boolean;
  agreementCreated: boolean;
  /** Create answered ConflictException: an agreement was already in flight. */
  agreementConflict: boolean;
  offer?: OfferSummary;
  /** AWS's errorMessage when the agreement ended in ERROR. */
  agreementError?: string;
  verification?: { ok: boolean; detail: string };
  /** This call joined an identical activation already running in this process. */
  joined: boolean;
  steps: ActivationProgress[];
}

export type ActivateModel = (request: ActivateModelInput) => Promise<ActivationResult>;

export interface ActivationDeps {
  config: Pick<Config, 'activation'>;
  /** The registry, read once per activation. */
  accounts: AccountDirectory;
  aws: AwsPorts;
  clock?: Clock;
  /** Reads the use-case form file. @default fs.readFileSync */
  readFile?: (path: string) => string;
  /** Fast polling lasts this long (most agreements settle within ~2 min); then the interval doubles. @default 180000 */
  fastPollWindowMs?: number;
  /** Upper bound for the backed-off poll interval. @default 60000 */
  maxPollIntervalMs?: number;
  /** One activation of a model at a time across processes; without it, only runs in this process are joined. */
  lease?: ActivationLease;
  /** How long a lease holds unless renewed; its holder renews it every third of this. @default 30000 */
  leaseTtlMs?: number;
}
