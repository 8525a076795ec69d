// A failed AWS call, classified for the use cases: adapters translate SDK errors into this, nothing else leaks.

export type AwsErrorKind =
  | 'access-denied'
  | 'not-found'
  | 'validation'
  | 'conflict'
  | 'throttled'
  | 'unavailable'
  | 'bad-credentials'
  | 'no-credentials'
  | 'timeout'
  | 'other';

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    readonly kind: AwsErrorKind,
    /** The API operation, e.g. `GetFoundationModelAvailability`. */
    readonly operation: string,
    /** The IAM action the operation needs, e.g. `bedrock:GetFoundationModelAvailability`. */
    readonly action: string,
    /** AWS's own message (safe to show: it never carries secrets). */
    message: string,
    /** AWS's error code (`AccessDeniedException`, `AccessDenied`, …). */
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export function isAwsCallError(err: unknown, kind?: AwsErrorKind): err is AwsCallError {
  return err instanceof AwsCallError && (kind === undefined || err.kind === kind);
}
