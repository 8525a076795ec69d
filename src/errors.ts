// Errors a user can cause or must act on: values with a clear, polite message, never a stack trace.

export const ErrorCode = {
  InvalidInput: 'bedrock_doctor_invalid_input',
  UnknownAccount: 'bedrock_doctor_unknown_account',
  RegionNotAllowed: 'bedrock_doctor_region_not_allowed',
  /** A model reference names an account or region this bot does not manage (an ARN from elsewhere, a look-alike). */
  NotManaged: 'bedrock_doctor_not_managed',
  NotAuthorized: 'bedrock_doctor_not_authorized',
  AwsFailure: 'bedrock_doctor_aws_failure',
  Internal: 'bedrock_doctor_internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error whose `message` is safe and useful to show to the person who caused it. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isUserFacingError(err: unknown): err is UserFacingError {
  return err instanceof UserFacingError;
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
