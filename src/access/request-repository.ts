// Port: what the access use cases (and the Slack delivery ledger) need from the activation-request store. src/store
// implements it over DynamoDB.

/** Lifecycle of an activation request (DESIGN.md "Activation state machine"). */
export const REQUEST_STATES = [
  'REQUESTED',
  'APPROVED',
  'ACTIVATING',
  'ACTIVE',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
  'FAILED',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States in which a request still holds the (account, region, base model) slot; new requesters join it. */
export const OPEN_STATES: readonly RequestState[] = ['REQUESTED', 'APPROVED', 'ACTIVATING'];
export const FINISHED_STATES: readonly RequestState[] = ['ACTIVE', 'REJECTED', 'EXPIRED', 'CANCELLED', 'FAILED'];

/**
 * Every legal move. Kept tight on purpose:
 * - ACTIVATING → ACTIVATING is not a transition: activation steps are recorded with `recordProgress`, which does
 *   not bump the version, so progress never makes an approver's or the reconciler's view stale.
 * - FAILED is final: a retry is a new request (the open slot is released on FAILED), approved again by a person,
 *   so a failed activation is never silently re-driven with an old approval.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  REQUESTED: ['APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'],
  APPROVED: ['ACTIVATING', 'FAILED'],
  ACTIVATING: ['ACTIVE', 'FAILED'],
  ACTIVE: [],
  REJECTED: [],
  EXPIRED: [],
  CANCELLED: [],
  FAILED: [],
};

export function isLegalTransition(from: RequestState, to: RequestState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

export function isOpenState(state: RequestState): boolean {
  return OPEN_STATES.includes(state);
}

/** A Slack user taking part in a request (requester or joiner). */
export interface Participant {
  userId: string;
  teamId?: string;
  /** Where they asked from, so they can be told there when it is done. */
  channelId?: string;
  at: string;
}

/** Who did something: a Slack user id (`U…`/`W…`) or a system actor such as `system:worker`. */
export interface Actor {
  userId: string;
  teamId?: string;
}

/** The Slack surface an action came from (kept in the audit trail). */
export interface SlackContext {
  teamId?: string;
  channelId?: string;
}

export type StepStatus = 'started' | 'done' | 'skipped' | 'failed';

/** One activation step (offers, use-case form, agreement, wait for availability …). */
export interface ActivationStep {
  step: string;
  status: StepStatus;
  at: string;
  detail?: string;
}

/** The Marketplace offer and terms shown to the approver before they pressed Approve. */
export interface OfferShown {
  offerToken?: string;
  summary: string;
  termsUrl?: string;
}

export interface RequestError {
  code: string;
  message: string;
}

/** The stored record of one approval flow: who asked, who decided, and how activation went. */
export interface ActivationRequest {
  id: string;
  accountId: string;
  region: string;
  /** What the requester named (model id, ARN or inference profile id). */
  modelRef: string;
  baseModelId: string;
  provider: string;
  requester: Participant;
  /** Everyone who asked for the same model while this request was open (requester not repeated). */
  joiners: Participant[];
  reason: string;
  state: RequestState;
  /** Bumped by every transition; conditional writes compare it. */
  version: number;
  /** Approver or rejecter (or whoever cancelled/expired it) and when. */
  decidedBy?: Actor;
  decidedAt?: string;
  /** Who made the last transition, and when (answers "already handled by …"). */
  lastActor?: Actor;
  approvalMessage?: { channelId: string; ts: string };
  progress: ActivationStep[];
  offer?: OfferShown;
  error?: RequestError;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface AuditEvent {
  /** Unique within the request; orders the trail. */
  id: string;
  requestId: string;
  at: string;
  actor: Actor;
  /** `requested`, `joined`, `approved`, `activation_started`, `denied` … */
  action: string;
  slack?: SlackContext;
  fromState?: RequestState;
  toState?: RequestState;
  note?: string;
}

export interface OpenOrJoinInput {
  accountId: string;
  region: string;
  modelRef: string;
  baseModelId: string;
  provider: string;
  requester: { userId: string; teamId?: string; channelId?: string };
  reason: string;
  /** The offer shown on the approval card (kept only when a new request is opened). */
  offer?: OfferShown;
}

export interface TransitionInput {
  from: RequestState;
  to: RequestState;
  /** The version the caller saw; omit to act on the current version of `from` (still conditional). */
  expectedVersion?: number;
  actor: Actor;
  slack?: SlackContext;
  note?: string;
  patch?: { approvalMessage?: { channelId: string; ts: string }; offer?: OfferShown; error?: RequestError };
}

export type TransitionResult =
  | { ok: true; request: ActivationRequest; event: AuditEvent }
  | { ok: false; reason: 'already_handled'; by?: Actor; state: RequestState; at?: string; request: ActivationRequest }
  | { ok: false; reason: 'stale_version'; currentVersion: number; request: ActivationRequest }
  | { ok: false; reason: 'illegal_transition'; from: RequestState; to: RequestState }
  | { ok: false; reason: 'not_found' };

export type ProgressResult =
  | { ok: true; request: ActivationRequest }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'stale_version' | 'wrong_state'; request: ActivationRequest };

export interface RequestRepository {
  /** Opens a request, or joins the open one for the same (account, region, base model). Never duplicates. */
  openOrJoin(input: OpenOrJoinInput): Promise<{ request: ActivationRequest; joined: boolean }>;
  /** The only way to change state: conditional on (state, version), audit event in the same transaction. */
  transition(id: string, input: TransitionInput): Promise<TransitionResult>;
  /** Appends an activation step while ACTIVATING at `expectedVersion`; does not bump the version. */
  recordProgress(id: string, expectedVersion: number, step: Omit<ActivationStep, 'at'>): Promise<ProgressResult>;
  /** Remembers where the approval message was posted (so it can be updated in place). */
  setApprovalMessage(id: string, message: { channelId: string; ts: string }): Promise<ActivationRequest | undefined>;
  /** Audit-only entry that changes nothing else (e.g. a denied approval attempt). */
  recordAuditNote(
    id: string,
    entry: { actor: Actor; action: string; slack?: SlackContext; note?: string },
  ): Promise<AuditEvent | undefined>;
  get(id: string): Promise<ActivationRequest | undefined>;
  /** Requests in REQUESTED, APPROVED or ACTIVATING, oldest first. */
  listOpen(): Promise<ActivationRequest[]>;
  /** Requests the user opened or joined, newest first. */
  listByRequester(userId: string): Promise<ActivationRequest[]>;
  /** A model's request history in one account and region, newest first. */
  listByModel(accountId: string, region: string, baseModelId: string): Promise<ActivationRequest[]>;
  auditTrail(requestId: string): Promise<AuditEvent[]>;
  /** True for the first caller with this key within the TTL (Slack retries, duplicate deliveries). */
  claimDelivery(key: string, ttlSeconds?: number): Promise<boolean>;
}

/** A stored item that does not match what this version of the code can read (unknown state, missing field …). */
export class InvalidStoredItemError extends Error {
  override readonly name = 'InvalidStoredItemError';
  constructor(
    readonly key: string,
    readonly problems: string[],
  ) {
    super(`Stored item ${key} is not a valid record: ${problems.join('; ')}`);
  }
}

/** The store kept refusing a write for reasons that pass (transaction conflicts, throughput): nothing was changed. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(
    readonly attempts: number,
    /** DynamoDB's error code of the last refusal, e.g. `TransactionConflict`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The state store is busy: DynamoDB refused the write ${attempts} times (${code}); nothing was changed. ` +
        'Try again in a moment.',
      options,
    );
  }
}
