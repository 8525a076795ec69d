// Why an activation could not run, in words an approver can act on. Each is a UserFacingError: safe to show as is.
// `fromAws` maps an AWS call's failure (aws-call-error.ts) to one of these, naming the step and the missing action.
import { ErrorCode, UserFacingError } from '../../errors.js';
import { type AwsCallError, isAwsCallError } from '../aws-call-error.js';
import type { ActivationStepName } from './types.js';

export const ActivationErrorReason = {
  /** No activation role is registered for the account. */
  NoActivationRole: 'NO_ACTIVATION_ROLE',
  /** STS refused AssumeRole (trust policy, ExternalId, SourceIdentity/TagSession rights). */
  AssumeRoleDenied: 'ASSUME_ROLE_DENIED',
  /** The activation role lacks aws-marketplace:Subscribe / ViewSubscriptions. */
  MarketplaceDenied: 'MARKETPLACE_DENIED',
  /** The activation role lacks a bedrock:* action the workflow needs. */
  RolePermissionMissing: 'ROLE_PERMISSION_MISSING',
  /** No Marketplace offer for the model in the region. */
  NoOffer: 'NO_OFFER',
  NotInRegion: 'NOT_IN_REGION',
  /** The model is Legacy: AWS no longer activates it for accounts that have not used it recently. */
  LegacyModel: 'LEGACY_MODEL',
  /** The model's lifecycle could not be read, so no offer was accepted. */
  ModelUnconfirmed: 'MODEL_UNCONFIRMED',
  /** A first-party model: there is nothing to activate. */
  FirstPartyModel: 'FIRST_PARTY_MODEL',
  /** Anthropic needs the use-case form and none is configured. */
  UseCaseFormMissing: 'USE_CASE_FORM_MISSING',
  InvalidUseCaseForm: 'INVALID_USE_CASE_FORM',
  /** AWS kept throttling after the SDK's retries. */
  Throttled: 'THROTTLED',
  /** AWS rejected the request as invalid (bad model id, expired offer token twice, …). */
  Validation: 'VALIDATION',
  AwsFailure: 'AWS_FAILURE',
} as const;
export type ActivationErrorReason = (typeof ActivationErrorReason)[keyof typeof ActivationErrorReason];

const INPUT_REASONS: ReadonlySet<ActivationErrorReason> = new Set([
  ActivationErrorReason.FirstPartyModel,
  ActivationErrorReason.InvalidUseCaseForm,
  ActivationErrorReason.Validation,
]);

export class ActivationError extends UserFacingError {
  constructor(
    readonly reason: ActivationErrorReason,
    message: string,
    readonly details: { step?: string; awsMessage?: string; missingAction?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(INPUT_REASONS.has(reason) ? ErrorCode.InvalidInput : ErrorCode.AwsFailure, message, options);
  }
}

export function isActivationError(err: unknown, reason?: ActivationErrorReason): err is ActivationError {
  return err instanceof ActivationError && (reason === undefined || err.reason === reason);
}

export function fromAws(err: unknown, step: ActivationStepName): Error {
  if (err instanceof ActivationError || !isAwsCallError(err))
    return err instanceof Error ? err : new Error(String(err));
  const details = {
    step,
    awsMessage: err.message,
    missingAction: err.kind === 'access-denied' ? deniedAction(err) : undefined,
  };
  switch (err.kind) {
    case 'throttled':
      return new ActivationError(
        ActivationErrorReason.Throttled,
        `AWS kept throttling ${err.operation} after retries. Nothing was half-done: run the activation again in a minute and it resumes.`,
        details,
        { cause: err },
      );
    case 'access-denied':
      return new ActivationError(
        ActivationErrorReason.RolePermissionMissing,
        `The activation role is missing ${details.missingAction}: ${err.message}`,
        details,
        { cause: err },
      );
    case 'validation':
    case 'not-found':
      return new ActivationError(
        ActivationErrorReason.Validation,
        `AWS rejected ${err.operation}: ${err.message}`,
        details,
        {
          cause: err,
        },
      );
    default:
      return new ActivationError(
        ActivationErrorReason.AwsFailure,
        `${err.operation} failed: ${err.message}. Run the activation again; it resumes where it stopped.`,
        details,
        { cause: err },
      );
  }
}

export function deniedAction(err: AwsCallError): string {
  return /not authorized to perform: ([\w-]+:[\w*-]+)/.exec(err.message)?.[1] ?? err.action;
}
