// Why an activation could not run, in words an approver can act on. Each is a UserFacingError: safe to show as is.
import { ErrorCode, UserFacingError } from '../errors.js';

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
